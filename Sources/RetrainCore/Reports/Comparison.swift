/// One run's metrics against two baselines, the previous trained run and the champion it was judged
/// against, in the manner of `dvc metrics diff`: each metric, its values, the signed change, and
/// whether that change is better or worse by the metric's direction.
public struct Comparison: Sendable, Equatable {
    /// A run on one side of the comparison.
    public struct Side: Sendable, Equatable {
        /// The run id.
        public var runID: String
        /// Its status (completed, rejected…).
        public var status: RunStatus
        /// Its metrics (for the champion, on the compared run's holdout when it was scored there).
        public var metrics: [String: Double]
        /// The SHA-256 of the data it trained on.
        public var dataSHA256: String?
        /// The champion's recorded metrics, when `metrics` are its scores on the compared run's
        /// holdout (like with like); nil otherwise.
        public var recorded: [String: Double]?

        public init(runID: String, status: RunStatus, metrics: [String: Double], dataSHA256: String? = nil, recorded: [String: Double]? = nil) {
            self.runID = runID
            self.status = status
            self.metrics = metrics
            self.dataSHA256 = dataSHA256
            self.recorded = recorded
        }
    }

    /// How a value compares with a baseline's.
    public enum Verdict: String, Sendable, Equatable {
        case better, worse, same
        /// The direction of the metric is not known.
        case changed
        /// One side lacks the metric.
        case missing
    }

    /// One metric against one baseline.
    public struct Delta: Sendable, Equatable {
        /// The baseline's value.
        public var value: Double?
        /// This run's value minus the baseline's.
        public var change: Double?
        public var verdict: Verdict
    }

    /// One metric's line.
    public struct Row: Sendable, Equatable {
        public var metric: String
        public var better: MetricInfo.Better?
        /// This run's value.
        public var value: Double?
        public var previous: Delta?
        public var champion: Delta?
        /// The champion's recorded value, when `champion` is its score on this run's holdout.
        public var championRecorded: Double?

        /// Whether anything differs from a baseline that exists.
        public var changed: Bool {
            [previous, champion].contains { $0.map { $0.verdict != .same } ?? false }
        }
    }

    /// The schedule id.
    public var schedule: String
    /// The run compared.
    public var run: Side
    /// The trained run before it, if any.
    public var previous: Side?
    /// The champion it was judged against (before it finished), if any.
    public var champion: Side?
    /// Every metric of either side, in name order.
    public var rows: [Row]
    /// The run's gate outcomes.
    public var gates: [GateCheck]
    /// Two runs chosen by hand (`compare ID RUN_A RUN_B`): `previous` is RUN_A, whatever came between.
    public var chosen: Bool

    /// Compares `run` with `previous` and `champion`; directions from `spec`.
    public init(schedule: String, run: Side, previous: Side?, champion: Side?, gates: [GateCheck] = [], spec: ScheduleSpec?, chosen: Bool = false) {
        self.schedule = schedule
        self.chosen = chosen
        self.run = run
        self.previous = previous
        self.champion = champion
        self.gates = gates
        var names = Set(run.metrics.keys)
        for side in [previous, champion].compactMap({ $0 }) { names.formUnion(side.metrics.keys) }
        names.formUnion(champion?.recorded?.keys ?? [:].keys)
        rows = names.sorted(by: codePointLess).map { name in
            let better = MetricDirection.of(name, spec: spec)
            let value = run.metrics[name]
            func delta(_ side: Side?) -> Delta? {
                guard let side else { return nil }
                let base = side.metrics[name]
                guard let value, let base else { return Delta(value: base, change: nil, verdict: .missing) }
                let change = value - base
                let verdict: Verdict = change == 0 ? .same : better == nil ? .changed : (change > 0) == (better == .higher) ? .better : .worse
                return Delta(value: base, change: change, verdict: verdict)
            }
            return Row(
                metric: name, better: better, value: value, previous: delta(previous), champion: delta(champion),
                championRecorded: champion?.recorded?[name])
        }
    }

    /// The rows to show: every one with `all`, else those that changed against a baseline (all of
    /// them when there is no baseline yet, so a first run still lists its metrics).
    public func shown(all: Bool) -> [Row] {
        all || (previous == nil && champion == nil) ? rows : rows.filter(\.changed)
    }

    // MARK: Rendering

    /// A signed change, `+0.0123` or `-2`; `0` for none.
    public static func signed(_ d: Double) -> String {
        let text = JSONValue.short(d)
        return d > 0 && !text.hasPrefix("+") ? "+" + text : text
    }

    static func cell(_ delta: Delta?) -> (value: String, change: String) {
        guard let delta else { return ("", "") }
        let value = delta.value.map(JSONValue.short) ?? "—"
        switch delta.verdict {
        case .missing: return (value, "—")
        case .same: return (value, "0")
        case .changed: return (value, signed(delta.change!))
        case .better: return (value, signed(delta.change!) + " better")
        case .worse: return (value, signed(delta.change!) + " worse")
        }
    }

    /// The comparison as Markdown: a heading, which runs, the table, the gates.
    public func markdown(all: Bool) -> String {
        var out = "## \(schedule): \(run.runID) (\(run.status))\n\n"
        let against = [
            previous.map { "\(chosen ? "the run" : "the previous run") `\($0.runID)` (\($0.status))" },
            champion.map {
                "the champion `\($0.runID)` it was judged against"
                    + ($0.recorded != nil ? ", scored on this run's holdout (its recorded scores beside)" : "")
            },
        ].compactMap { $0 }
        out += against.isEmpty ? "The first trained run: nothing to compare with yet.\n\n" : "Against " + against.joined(separator: " and ") + ".\n\n"
        if let data = dataLine({ "`\($0)`" }) { out += data + "\n\n" }
        let rows = shown(all: all)
        if rows.isEmpty {
            out += "No metric changed (`retrain compare \(schedule) --all` lists them all).\n"
        } else {
            var header = ["Metric", "This run"]
            if previous != nil { header += [chosen ? "Against" : "Previous", "Change"] }
            if champion != nil { header += [champion?.recorded != nil ? "Champion here" : "Champion", "Change"] }
            if champion?.recorded != nil { header += ["Champion recorded"] }
            var table = [header]
            for row in rows {
                let arrow = row.better.map { $0 == .higher ? " ↑" : " ↓" } ?? ""
                var line = [row.metric + arrow, row.value.map(JSONValue.short) ?? "—"]
                if previous != nil {
                    let c = Self.cell(row.previous)
                    line += [c.value, c.change]
                }
                if champion != nil {
                    let c = Self.cell(row.champion)
                    line += [c.value, c.change]
                }
                if champion?.recorded != nil { line += [row.championRecorded.map(JSONValue.short) ?? "—"] }
                table.append(line)
            }
            out += Markdown.table(table, rightAligned: Set(1..<header.count))
            let hidden = self.rows.count - rows.count
            if hidden > 0 { out += "\n\(hidden) unchanged metric\(hidden == 1 ? "" : "s") not shown (`--all` shows them). " }
            out += "\n↑ higher is better, ↓ lower is better.\n"
        }
        if !gates.isEmpty {
            out += "\nGates:\n\n"
            for gate in gates { out += "- \(gate.held ? "✅ held" : "❌ failed"): `\(gate.gate)`\(GateCheck.numbers(gate))\n" }
        }
        return out
    }

    /// Where the runs' data came from, `Data: this run 0f3f2c773f27; the champion trained on
    /// a1b2c3d4e5f6 (other data).` with each digest as `code` shows it, or nil when neither read a file.
    func dataLine(_ code: (String) -> String = { $0 }) -> String? {
        guard run.dataSHA256 != nil || champion?.dataSHA256 != nil else { return nil }
        var text = "Data: this run " + (run.dataSHA256.map { code(String($0.prefix(12))) } ?? "(no file)")
        if let theirs = champion?.dataSHA256 {
            text += "; the champion trained on \(code(String(theirs.prefix(12)))) (\(theirs == run.dataSHA256 ? "the same data" : "other data"))"
        }
        return text + "."
    }

    /// The comparison as JSON (`comparison.json`, `compare --format json`).
    public func json(all: Bool) -> JSONValue {
        func side(_ s: Side?) -> JSONValue {
            guard let s else { return .null }
            var members: [JSONValue.Member] = [
                .init("run_id", .string(s.runID)), .init("status", .string(s.status.rawValue)), .init("metrics", JSONValue.metrics(s.metrics)),
            ]
            if let data = s.dataSHA256 { members.append(.init("data_sha256", .string(data))) }
            if let recorded = s.recorded {
                members.append(.init("on_this_holdout", .bool(true)))
                members.append(.init("recorded", JSONValue.metrics(recorded)))
            }
            return .object(members)
        }
        let baseName = chosen ? "against" : "previous"
        let rows = shown(all: all).map { row -> JSONValue in
            var members: [JSONValue.Member] = [
                .init("metric", .string(row.metric)), .init("better", row.better.map { .string($0.rawValue) } ?? .null),
                .init("value", row.value.map(JSONValue.number) ?? .null),
            ]
            for (name, d) in [(baseName, row.previous), ("champion", row.champion)] {
                guard let d else { continue }
                members.append(
                    .init(
                        name,
                        .object([
                            "value": d.value.map(JSONValue.number) ?? .null, "change": d.change.map(JSONValue.number) ?? .null,
                            "verdict": .string(d.verdict.rawValue),
                        ])))
            }
            if let recorded = row.championRecorded { members.append(.init("champion_recorded", .number(recorded))) }
            return .object(members)
        }
        return .object([
            "schedule": .string(schedule), "run": side(run), baseName: side(previous), "champion": side(champion), "all": .bool(all),
            "metrics": .array(rows), "gates": .array(gates.map(\.json)),
        ])
    }
}

extension GateCheck {
    /// ` — 0.83 vs 0.8` or ` — no champion yet`: the numbers behind a gate's outcome.
    static func numbers(_ gate: GateCheck) -> String {
        if let value = gate.value, let threshold = gate.threshold {
            let basis =
                switch gate.basis {
                case .sameHoldout?: " (the champion on this holdout)"
                case .recorded?: " (\(gate.note ?? "the champion's recorded score"))"
                case nil: ""
                }
            return " — \(JSONValue.short(value)) vs \(JSONValue.short(threshold))" + basis
        }
        return gate.note.map { " — \($0)" } ?? ""
    }

    /// As result.json writes it.
    var json: JSONValue {
        .object([
            "gate": .string(gate), "value": value.map(JSONValue.number) ?? .null, "threshold": threshold.map(JSONValue.number) ?? .null,
            "held": .bool(held), "note": note.map(JSONValue.string) ?? .null, "basis": basis.map { .string($0.rawValue) } ?? .null,
        ])
    }
}

extension JSONValue {
    /// Metrics as an object in name order.
    static func metrics(_ metrics: [String: Double]) -> JSONValue {
        .object(metrics.sorted { codePointLess($0.key, $1.key) }.map { JSONValue.Member($0.key, .number($0.value)) })
    }
}

/// GitHub-flavoured Markdown helpers.
enum Markdown {
    /// A table; `|` and line breaks in cells are escaped.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard let header = rows.first else { return "" }
        var out = row(header)
        out += "|" + header.indices.map { rightAligned.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for cells in rows.dropFirst() { out += row(cells) }
        return out
    }

    /// One table row.
    static func row(_ cells: [String]) -> String {
        "| " + cells.map(cell).joined(separator: " | ") + " |\n"
    }

    /// A cell's text with `|` escaped and line breaks made spaces (most cells have neither: they
    /// are returned as they are).
    static func cell(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "|") || $0 == 0x0A }) else { return text }
        return text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
