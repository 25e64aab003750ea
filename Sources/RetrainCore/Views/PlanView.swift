/// `retrain plan`: what the next reconcile would do; with `--base`, what a change to the schedules
/// changes first.
public struct PlanView: Presentable {
    public let plan: Plan
    /// The schedules' change against a git revision (`--base`).
    public let diff: ScheduleDiff?
    /// Whether the plan is shown beside the diff: not without a state file (CI on a pull request),
    /// where it would only say that every schedule is new.
    public let withPlan: Bool

    public init(plan: Plan, diff: ScheduleDiff? = nil, withPlan: Bool = true) {
        self.plan = plan
        self.diff = diff
        self.withPlan = withPlan
    }

    public func table() -> String { String(decoding: tableBytes(), as: UTF8.self) }

    public func tableBytes() -> [UInt8] {
        var bytes = diff.map { Array((DiffRenderer.text($0) + (withPlan ? "\n" : "")).utf8) } ?? []
        guard withPlan else { return bytes }
        bytes += TextTable.bytes(PlanRenderer.tableRows(plan))
        bytes += (PlanRenderer.summary(plan) + "\n").utf8
        return bytes
    }

    public var payload: JSONValue {
        guard let diff else { return PlanRenderer.json(plan) }
        var members: [JSONValue.Member] = [.init("diff", DiffRenderer.json(diff))]
        if withPlan { members.append(.init("plan", PlanRenderer.json(plan))) }
        return .object(members)
    }

    public func markdown() -> String {
        guard let diff else { return PlanRenderer.markdown(plan) }
        return DiffRenderer.markdown(diff) + (withPlan ? "\n" + PlanRenderer.markdown(plan) : "")
    }
}
