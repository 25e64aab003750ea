/// One reconcile pass as `retrain reconcile` prints it: the actions that did something, each with
/// its result, and a summary line.
public struct PassReport: Presentable {
    public let plan: Plan
    /// Each action's result, by the plan's index; nil for a dry run (nothing was done).
    public let results: [String?]?
    public let failures: Int

    public init(plan: Plan, results: [String?]?, failures: Int) {
        self.plan = plan
        self.results = results
        self.failures = failures
    }

    public func table() -> String {
        let shown = plan.actions.indices.filter { plan.actions[$0].kind != .noop || plan.actions[$0].reason == .maxParallel }
        var rows = [["SCHEDULE", "ACTION", "REASON", "RUN", results == nil ? "DETAIL" : "RESULT"]]
        for index in shown {
            let a = plan.actions[index]
            let run = a.runID.map { a.attempt > 1 ? "\($0) #\(a.attempt)" : $0 } ?? (a.slot?.instant.description ?? "-")
            rows.append([a.schedule, a.kind.rawValue, a.reason.rawValue, run, results?[index] ?? a.detail])
        }
        let counts = PlanRenderer.counts(plan, including: PlannedAction.Kind.allCases.filter { $0 != .noop })
        let head = results == nil ? "dry run at \(plan.now) (nothing changed)" : "reconcile at \(plan.now)"
        let summary = head + ": " + (counts.isEmpty ? "nothing to do" : counts) + (failures > 0 ? "; \(failures) failed" : "")
        return (shown.isEmpty ? "" : TextTable.render(rows)) + summary + "\n"
    }

    public var payload: JSONValue {
        let actions = plan.actions.indices.map { index -> JSONValue in
            guard case .object(var members) = PlanRenderer.json(plan.actions[index]) else { return .null }
            if let results { members.append(.init("result", results[index].map(JSONValue.string) ?? .null)) }
            return .object(members)
        }
        return .object([
            "now": .string(plan.now.description), "dry_run": .bool(results == nil), "failures": .int(failures), "actions": .array(actions),
        ])
    }

    /// Passes printed together (`reconcile --format json` without `--watch`): `{"passes": [...]}`.
    public struct Passes: Presentable {
        public var passes: [PassReport] = []

        public init() {}

        public func table() -> String { passes.map { $0.table() }.joined() }
        public var payload: JSONValue { .object(["passes": .array(passes.map(\.payload))]) }
    }
}
