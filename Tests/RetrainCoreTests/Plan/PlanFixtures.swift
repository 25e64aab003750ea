import RetrainTestSupport
import Testing

@testable import RetrainCore

/// A valid spec from YAML text (the schedule keys under test, plus what every built-in needs).
func spec(_ id: String, _ yaml: String) -> ScheduleSpec {
    let text = "model: risk\ndata: r.csv\ntarget: y\n" + yaml
    let loaded = ScheduleLoader.decode(bytes: Array(text.utf8), path: "\(id).yaml", id: id, context: ValidationContext())
    guard let spec = loaded.spec else { fatalError("invalid test spec: \(loaded.diagnostics.map(\.message))") }
    return spec
}

/// The state a previous pass would have left: seen at `anchor`, last slot handled `lastSlot`.
func seen(_ s: ScheduleSpec, anchor: Instant, lastSlot: Instant? = nil, trigger: String? = nil, active: String? = nil) -> ScheduleState {
    var e = ScheduleState(specHash: s.specHash, timingHash: s.timingHash, anchor: anchor)
    e.lastSlot = lastSlot
    e.trigger = trigger
    e.activeRun = active.map {
        ActiveRun(
            id: $0, slot: "2026-11-25T00:00:00Z", executor: "local", pid: 1, host: "vm", slurmJob: nil, startedAt: "2026-11-25T00:00:00Z", attempt: 1)
    }
    return e
}

/// The plan, one line per action: `kind reason slot(count) run-id`.
func planLines(
    _ specs: [ScheduleSpec], state: [String: ScheduleState] = [:], now: String, invalid: Set<String> = [], prune: Bool = false,
    observations: [String: RunObservation] = [:], maxParallel: Int = .max
) -> [String] {
    var file = StateFile()
    file.schedules = state
    let plan = Planner.plan(
        Planner.Input(
            schedules: specs, invalid: invalid, state: file, now: Instant.parse(now)!, prune: prune,
            observations: observations, maxParallel: maxParallel))
    return plan.actions.map { a in
        var line = "\(a.schedule) \(a.kind.rawValue) \(a.reason.rawValue)"
        if let slot = a.slot { line += " \(slot.instant)" + (a.count > 1 ? "x\(a.count)" : "") }
        if let id = a.runID, a.kind == .run || a.kind == .finish { line += " \(id)" + (a.attempt > 1 ? "#\(a.attempt)" : "") }
        if a.kind == .finish { line += ": \(a.detail)" }
        return line
    }
}

/// An outcome as a supervisor would leave it.
func ended(_ status: TrainerOutcome.Status, _ reason: String? = nil, at end: Instant = "2026-11-25T01:10:00Z") -> RunObservation {
    .ended(
        TrainerOutcome(
            status: status, reason: reason, exitCode: status == .trained ? 0 : 1, metrics: status == .trained ? ["accuracy": 0.91234567] : nil,
            startedAt: "2026-11-25T01:00:00Z", finishedAt: end))
}
