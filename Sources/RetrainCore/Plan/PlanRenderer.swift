/// Renderings of a plan: a table for terminals, JSON for tools, Markdown for pull-request comments.
public enum PlanRenderer {
    /// One row per action.
    public static func tableRows(_ plan: Plan) -> [[String]] {
        var rows = [["SCHEDULE", "ACTION", "REASON", "SLOT", "DETAIL"]]
        for a in plan.actions {
            rows.append([a.schedule, a.kind.rawValue, a.reason.rawValue, a.slot?.instant.description ?? "-", a.detail])
        }
        return rows
    }

    /// `plan at T: 1 run, 2 skip, 3 noop`.
    public static func summary(_ plan: Plan) -> String {
        let counts = counts(plan, including: PlannedAction.Kind.allCases)
        return "plan at \(plan.now): " + (counts.isEmpty ? "no schedules" : counts)
    }

    /// `1 run, 2 skip`: how many actions of each of `kinds` the plan has, in `Kind` order; empty if none.
    public static func counts(_ plan: Plan, including kinds: [PlannedAction.Kind]) -> String {
        let all = PlannedAction.Kind.allCases
        var tally = Array(repeating: 0, count: all.count)
        for action in plan.actions { tally[all.firstIndex(of: action.kind)!] += 1 }
        return kinds.compactMap { kind in
            let n = tally[all.firstIndex(of: kind)!]
            return n > 0 ? "\(n) \(kind.rawValue)" : nil
        }.joined(separator: ", ")
    }

    /// The plan as JSON; keys and reason strings are stable.
    public static func json(_ plan: Plan) -> JSONValue {
        .object([
            "now": .string(plan.now.description),
            "has_changes": .bool(plan.hasChanges),
            "actions": .array(plan.actions.map(json)),
        ])
    }

    /// One action as JSON: `schedule`, `action`, `reason`, `slot`, then what applies of `run_id`,
    /// `attempt`, `count`, `status` (finish), `next`, and `detail`.
    public static func json(_ a: PlannedAction) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("schedule", .string(a.schedule)), .init("action", .string(a.kind.rawValue)),
            .init("reason", .string(a.reason.rawValue)),
            .init("slot", a.slot.map { .string($0.instant.description) } ?? .null),
        ]
        if let id = a.runID { members.append(.init("run_id", .string(id))) }
        if a.kind == .run || a.kind == .finish { members.append(.init("attempt", .int(a.attempt))) }
        if a.count > 1 { members.append(.init("count", .int(a.count))) }
        if let outcome = a.outcome { members.append(.init("status", .string(outcome.status.rawValue))) }
        if let next = a.next { members.append(.init("next", .string(next.description))) }
        members.append(.init("detail", .string(a.detail)))
        return .object(members)
    }

    /// A pull-request comment: what would happen now, then every schedule's next slot.
    public static func markdown(_ plan: Plan) -> String {
        var out = "### retrain plan\n\n"
        let changes = plan.actions.filter { $0.kind != .noop }
        if changes.isEmpty {
            out += "Nothing to do at \(plan.now).\n"
        } else {
            out += "At \(plan.now), a reconcile would:\n\n| schedule | action | reason | slot | detail |\n|---|---|---|---|---|\n"
            for a in changes {
                out +=
                    "| `\(a.schedule)` | \(a.kind.rawValue) | `\(a.reason.rawValue)` | \(a.slot.map { $0.instant.description } ?? "") | \(escape(a.detail)) |\n"
            }
        }
        let idle = plan.actions.filter { $0.kind == .noop }
        if !idle.isEmpty {
            out +=
                "\n<details><summary>\(idle.count) schedule\(idle.count == 1 ? "" : "s") with nothing to do now</summary>\n\n| schedule | state | next slot |\n|---|---|---|\n"
            for a in idle { out += "| `\(a.schedule)` | \(a.reason.rawValue) | \(a.next?.description ?? "-") |\n" }
            out += "\n</details>\n"
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
