/// `retrain compare`: a comparison with the metrics that changed, or all of them.
public struct ComparisonView: Presentable {
    public let comparison: Comparison
    /// Every metric, not only those that changed.
    public let all: Bool

    public init(_ comparison: Comparison, all: Bool) {
        self.comparison = comparison
        self.all = all
    }

    public var payload: JSONValue { comparison.json(all: all) }
    public func markdown() -> String { comparison.markdown(all: all) }

    public func table() -> String {
        let c = comparison
        var out = "\(c.run.runID) (\(c.run.status))"
        if let p = c.previous { out += "\n  against \(c.chosen ? "" : "previous ")\(p.runID) (\(p.status))" }
        if let ch = c.champion { out += "\n  against champion \(ch.runID)" + (ch.recorded != nil ? ", scored on this run's holdout" : "") }
        if let data = c.dataLine() { out += "\n  " + data }
        out += "\n\n"
        let rows = c.shown(all: all)
        guard !rows.isEmpty else { return out + "no metric changed (--all lists them)\n" }
        var header = ["METRIC", "THIS RUN"]
        if c.previous != nil { header += [c.chosen ? "AGAINST" : "PREVIOUS", "CHANGE"] }
        if c.champion != nil { header += [c.champion?.recorded != nil ? "CHAMPION HERE" : "CHAMPION", "CHANGE"] }
        if c.champion?.recorded != nil { header += ["RECORDED"] }
        var table = [header]
        for row in rows {
            var line = [row.metric + (row.better.map { $0 == .higher ? " ↑" : " ↓" } ?? ""), row.value.map(JSONValue.short) ?? "-"]
            for delta in [row.previous, row.champion] where delta != nil {
                let d = delta!
                line += [
                    d.value.map(JSONValue.short) ?? "-",
                    d.change.map { Comparison.signed($0) + (d.verdict == .better || d.verdict == .worse ? " \(d.verdict.rawValue)" : "") } ?? "-",
                ]
            }
            if c.champion?.recorded != nil { line += [row.championRecorded.map(JSONValue.short) ?? "-"] }
            table.append(line)
        }
        return out + TextTable.render(table)
    }
}

extension Comparison {
    /// A run named on the command line, with its gates: from `history` (its ledger), else from its
    /// result.json. `name` is its id or the part after the schedule's id (`@20261201T010000Z`).
    public static func side(_ name: String, of id: String, history: [RunRecord], writer: ReportWriter) throws(CommandError)
        -> (side: Comparison.Side, gates: [GateCheck])
    {
        let full = name.hasPrefix(id + "@") ? name : name.hasPrefix("@") ? id + name : id + "@" + name
        let result = writer.readResult(schedule: id, run: full)
        if let run = history.last(where: { $0.id == full }) {
            guard let metrics = run.metrics else {
                throw CommandError("\(full) has no metrics (it \(run.status.rawValue)\(run.reason.map { ": \($0)" } ?? ""))")
            }
            return (Comparison.Side(runID: full, status: run.status, metrics: metrics), result?.gates ?? [])
        }
        if let result, let metrics = result.metrics {
            return (Comparison.Side(runID: full, status: result.status, metrics: metrics), result.gates)
        }
        let known = history.filter { $0.metrics != nil }.map(\.id)
        let hint = Suggestion.closest(to: full, in: known).map { "; did you mean '\($0)'?" } ?? "; `retrain history \(id)` lists its runs"
        throw CommandError("no run '\(full)' with metrics\(hint)")
    }
}
