/// `keep_runs`: a schedule's older runs' folders removed, on the record.
public struct RetentionRecord: Codable, Sendable, Equatable {
    /// When.
    public var at: Instant
    /// The policy that removed them.
    public var keepRuns: Int
    /// The runs whose folders (reports/<id>/<run>, models/<id>/<run>) were removed; their ledger
    /// lines stay.
    public var removed: [String]

    enum CodingKeys: String, CodingKey {
        case at
        case keepRuns = "keep_runs"
        case removed
    }
}

extension Reconciler {
    /// What retention removed of one schedule's runs in a pass.
    public struct Pruned: Sendable, Equatable {
        public var schedule: String
        public var keep: Int
        public var runs: [String]

        /// `quick: keep_runs 2: removed the folders of 1 older run (quick@20261125T100000Z)`.
        public var line: String {
            let shown = runs.prefix(5).joined(separator: ", ") + (runs.count > 5 ? ", …" : "")
            return "\(schedule): keep_runs \(keep): removed the folders of \(runs.count) older run\(runs.count == 1 ? "" : "s") (\(shown))"
        }
    }

    /// The retention log of `schedule`: `retention/<id>.jsonl` beside the state file.
    public func retentionLog(_ schedule: String) -> String { "\(store.folderPath)/retention/\(schedule).jsonl" }

    /// Applies `keep_runs` (the schedule's, else retrain.yaml's default) to every schedule `change`
    /// recorded a run of: the folders of its runs older than the newest `keep` are removed, except
    /// the champion's, the one before it (what `rollback` restores), the latest trained run's and
    /// any run going or waiting for a retry. Each removal is a line of the retention log; the
    /// ledger keeps every run's record. Returns what was removed, for the pass to say.
    func retain(_ change: StateChange, specs: [String: ScheduleSpec], now: Instant, warn: (String) -> Void) -> [Pruned] {
        var pruned: [Pruned] = []
        for (id, fresh) in change.records {
            guard let keep = specs[id]?.keepRuns ?? options.defaultKeepRuns, let entry = change.state.schedules[id], FileSystem.isPlainName(id)
            else { continue }
            let records = store.history.read(id, legacy: change.state.legacy).records + fresh
            var seen = Set<String>()
            let order = records.filter { $0.status != .skipped && seen.insert($0.id).inserted }.map(\.id)
            guard order.count > keep else { continue }
            var kept = Set([entry.activeRun?.id, entry.retry?.id, entry.lastTrained?.id, entry.champion?.id].compactMap { $0 })
            if let champion = entry.champion?.id,
                let before = Self.championBefore(
                    champion, lineage: store.lineage.read(id), records: records,
                    result: { RunResult.read(reports: absolute(options.reports), schedule: id, run: $0) })
            {
                kept.insert(before)
            }
            var removed: [String] = []
            for run in order.dropLast(keep) where !kept.contains(run) && FileSystem.isPlainName(run) {
                let folders = ["\(options.reports)/\(id)/\(run)", "\(options.models)/\(id)/\(run)"].map(absolute).filter(FileSystem.isDirectory)
                guard !folders.isEmpty else { continue }
                for folder in folders {
                    if let problem = FileSystem.removeTree(folder) { warn("\(id): keep_runs: cannot remove \(folder): \(problem)") }
                }
                removed.append(run)
            }
            guard !removed.isEmpty else { continue }
            do {
                try JSONLines.append(
                    RetentionRecord(at: now, keepRuns: keep, removed: removed), to: retentionLog(id), folder: store.folderPath + "/retention")
            } catch {
                warn("\(id): keep_runs removed \(removed.count) runs' folders but cannot record it: \(error)")
            }
            pruned.append(Pruned(schedule: id, keep: keep, runs: removed))
        }
        return pruned
    }

    /// The champion `run` replaced when it last became champion: by hand (its latest promotion in
    /// the lineage), else by its gates (its result.json's `champion_before`, else the completed run
    /// before it in the ledger).
    public static func championBefore(_ run: String, lineage: [LineageEvent], records: [RunRecord], result: (String) -> RunResult?) -> String? {
        if let promoted = lineage.last(where: { $0.event == .promoted && $0.run == run }) { return promoted.previous }
        if let result = result(run), result.championAfter == run { return result.championBefore }
        guard let at = records.lastIndex(where: { $0.id == run }) else { return nil }
        return records[..<at].last(where: { $0.status == .completed })?.id
    }
}
