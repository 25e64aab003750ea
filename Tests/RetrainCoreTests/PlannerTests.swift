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
func seen(_ s: ScheduleSpec, anchor: String, lastSlot: String? = nil, trigger: String? = nil, active: String? = nil) -> ScheduleState {
    var e = ScheduleState(specHash: s.specHash, timingHash: s.timingHash, anchor: anchor)
    e.lastSlot = lastSlot
    e.trigger = trigger
    e.activeRun = active.map { ActiveRun(id: $0, slot: "2026-11-25T00:00:00Z", executor: "local", pid: 1, host: "vm", slurmJob: nil, startedAt: "2026-11-25T00:00:00Z", attempt: 1) }
    return e
}

/// The plan, one line per action: `kind reason slot(count) run-id`.
func planLines(_ specs: [ScheduleSpec], state: [String: ScheduleState] = [:], now: String, invalid: Set<String> = [], prune: Bool = false) -> [String] {
    var file = StateFile()
    file.schedules = state
    let plan = Planner.plan(Planner.Input(schedules: specs, invalid: invalid, state: file, now: Instant.parse(now)!, prune: prune))
    return plan.actions.map { a in
        var line = "\(a.schedule) \(a.kind.rawValue) \(a.reason.rawValue)"
        if let slot = a.slot { line += " \(slot.instant)" + (a.count > 1 ? "x\(a.count)" : "") }
        if let id = a.runID, a.kind == .run { line += " \(id)" }
        return line
    }
}

@Suite struct PlannerTests {
    let daily = spec("d", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\n")

    @Test func aScheduleMergedJustAfterItsSlotStillRunsIt() {
        #expect(planLines([daily], now: "2026-11-25T01:10:00Z") == [
            "d adopt new_schedule", "d run due 2026-11-25T01:00:00Z d@20261125T010000Z",
        ])
    }

    @Test func aNewScheduleDoesNotReplayHistory() {
        #expect(planLines([daily], now: "2026-11-25T09:00:00Z") == ["d adopt new_schedule", "d noop not_due"])
    }

    @Test func theNextSlotRunsOnceDue() {
        let state = ["d": seen(daily, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T01:00:00Z")]
        #expect(planLines([daily], state: state, now: "2026-11-25T00:59:00Z") == ["d noop not_due"])
        #expect(planLines([daily], state: state, now: "2026-11-25T01:02:00Z") == ["d run due 2026-11-25T01:00:00Z d@20261125T010000Z"])
        let handled = ["d": seen(daily, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z")]
        #expect(planLines([daily], state: handled, now: "2026-11-25T01:02:00Z") == ["d noop not_due"])
    }

    @Test func catchupLatestRunsTheLatestOnce() {
        let state = ["d": seen(daily, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-21T01:00:00Z")]
        #expect(planLines([daily], state: state, now: "2026-11-24T09:00:00Z") == [
            "d skip superseded_by_latest 2026-11-23T01:00:00Zx2", "d run catchup_latest 2026-11-24T01:00:00Z d@20261124T010000Z",
        ])
    }

    @Test func catchupNoneRunsOnlyWhatIsOnTime() {
        let s = spec("n", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\ncatchup: none\n")
        let state = ["n": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-21T01:00:00Z")]
        #expect(planLines([s], state: state, now: "2026-11-24T04:00:00Z") == [
            "n skip catchup_none 2026-11-23T01:00:00Zx2", "n skip catchup_none 2026-11-24T01:00:00Z",
        ])
        #expect(planLines([s], state: state, now: "2026-11-24T01:30:00Z") == [
            "n skip catchup_none 2026-11-23T01:00:00Zx2", "n run due 2026-11-24T01:00:00Z n@20261124T010000Z",
        ])
    }

    @Test func catchupAllRunsTheOldestFirstAndAtMost100() {
        let s = spec("a", "start: 2026-11-01\nrepeat: \"0 * * * *\"\ncatchup: all\n")
        let state = ["a": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-20T00:00:00Z")]
        #expect(planLines([s], state: state, now: "2026-11-20T03:30:00Z") == ["a run catchup_all 2026-11-20T01:00:00Z a@20261120T010000Z"])
        #expect(planLines([s], state: state, now: "2026-11-26T06:30:00Z") == [
            "a skip catchup_limit 2026-11-22T02:00:00Zx50", "a run catchup_all 2026-11-22T03:00:00Z a@20261122T030000Z",
        ])
    }

    @Test func aDeadlineSkipsLateSlots() {
        let s = spec("l", "start: 2026-11-01\nrepeat: \"0 */4 * * *\"\ndeadline: 2h\n")
        let state = ["l": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T16:00:00Z")]
        #expect(planLines([s], state: state, now: "2026-11-25T01:00:00Z") == [
            "l skip missed_deadline 2026-11-24T20:00:00Z", "l run due 2026-11-25T00:00:00Z l@20261125T000000Z",
        ])
        #expect(planLines([s], state: state, now: "2026-11-25T03:00:00Z") == ["l skip missed_deadline 2026-11-25T00:00:00Zx2"])
    }

    @Test func aSlotWhosePreviousRunIsStillRunningIsSkipped() {
        let state = ["d": seen(daily, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T01:00:00Z", active: "d@20261124T010000Z")]
        #expect(planLines([daily], state: state, now: "2026-11-25T01:05:00Z") == ["d skip previous_still_running 2026-11-25T01:00:00Z"])
    }

    @Test func aTriggerChangeRunsOnceWithAnIDFromItsValue() {
        let s = spec("t", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\ntrigger: \"2026-11-25 #1\"\n")
        let old = ["t": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z", trigger: "2026-11-24-1")]
        #expect(planLines([s], state: old, now: "2026-11-25T10:00:00Z") == ["t run trigger_changed 2026-11-25T10:00:00Z t@trigger-2026-11-25__1"])
        let same = ["t": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z", trigger: "2026-11-25 #1")]
        #expect(planLines([s], state: same, now: "2026-11-25T10:00:00Z") == ["t noop not_due"])
        #expect(planLines([s], now: "2026-11-25T10:00:00Z") == ["t adopt new_schedule", "t noop not_due"])
    }

    @Test func pausedAndRetimedSchedules() {
        let paused = spec("p", "start: 2026-11-01\nrepeat: daily\nenabled: false\n")
        #expect(planLines([paused], state: ["p": seen(paused, anchor: "2026-11-01T00:00:00Z")], now: "2026-11-25T00:10:00Z") == ["p noop disabled"])
        let before = spec("r", "start: 2026-11-01\nrepeat: daily\n")
        let after = spec("r", "start: 2026-11-01\nrepeat: weekly\n")
        #expect(planLines([after], state: ["r": seen(before, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-20T00:00:00Z")], now: "2026-11-25T09:00:00Z")
            == ["r adopt timing_changed", "r noop not_due"])
        let relabelled = spec("r", "start: 2026-11-01\nrepeat: daily\nlabels: {team: x}\n")
        #expect(planLines([relabelled], state: ["r": seen(before, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T00:00:00Z")], now: "2026-11-25T00:10:00Z")
            == ["r adopt spec_changed", "r run due 2026-11-25T00:00:00Z r@20261125T000000Z"])
    }

    @Test func deletedFilesAreOrphanedAndBrokenFilesKept() {
        let state = ["gone": seen(daily, anchor: "2026-11-01T00:00:00Z"), "broken": seen(daily, anchor: "2026-11-01T00:00:00Z")]
        #expect(planLines([], state: state, now: "2026-11-25T09:00:00Z", invalid: ["broken"]) == ["broken noop invalid", "gone orphan file_deleted"])
        #expect(planLines([], state: state, now: "2026-11-25T09:00:00Z", invalid: ["broken"], prune: true) == ["broken noop invalid", "gone prune file_deleted"])
    }

    @Test func aOnceThatRanHasNoMoreSlots() {
        let s = spec("o", "start: 2026-11-20\n")
        #expect(planLines([s], state: ["o": seen(s, anchor: "2026-11-19T00:00:00Z", lastSlot: "2026-11-20T00:00:00Z")], now: "2026-11-25T00:00:00Z")
            == ["o noop no_more_slots"])
    }

    @Test func equalSpecsWrittenDifferentlyHashAlike() {
        let a = spec("h", "start: 2026-12-01\nparams: {epochs: 5, seed: 1}\nlabels: {b: 2, a: 1}\n")
        let b = spec("h", "# comment\nlabels:\n  a: 1\n  b: 2\nparams:\n  seed: 1\n  epochs: 5\nstart: 2026-12-01 00:00\n")
        #expect(a.specHash == b.specHash && a.timingHash == b.timingHash)
        #expect(a.specHash != spec("h", "start: 2026-12-01\nparams: {epochs: 6, seed: 1}\nlabels: {b: 2, a: 1}\n").specHash)
    }
}

/// A revision reader with fixed files, for diff tests without git.
struct FakeRevision: RevisionReader {
    let files: [String: String]
    func scheduleFiles(at revision: String, folder: String) async throws -> [(name: String, bytes: [UInt8])] {
        files.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
    }
}

@Suite struct ScheduleDiffTests {
    let base = "model: risk\ndata: r.csv\ntarget: y\nstart: 2026-12-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\nparams: {learning_rate: 0.001}\n"

    @Test func fieldLevelChangesNewAndDeletedSchedules() async throws {
        let reader = FakeRevision(files: ["a.yaml": base, "gone.yaml": base, "broken.yaml": "model: [\n"])
        let current = [
            spec("a", "start: 2026-12-01 02:00\ntimezone: Europe/Madrid\nrepeat: weekly\nparams: {learning_rate: 0.0005}\n"),
            spec("new", "start: 2026-12-01\nrepeat: daily\n"),
        ]
        let diff = try await ScheduleDiff.against(revision: "main", reader: reader, folder: "schedules", context: ValidationContext(),
                                                  current: current, now: Instant.parse("2026-11-25T12:00:00Z")!)
        #expect(diff.added.map(\.spec.id) == ["new"])
        #expect(diff.added.first?.next.map(\.description) == ["2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z"])
        #expect(diff.removed == ["gone"])
        #expect(diff.invalidAtBase == ["broken"])
        let change = try #require(diff.changed.first)
        #expect(change.fields == [
            .init(field: "params.learning_rate", before: "0.001", after: "0.0005"),
            .init(field: "repeat", before: "\"daily\"", after: "\"weekly\""),
        ])
        #expect(change.timingChanged)
        #expect(change.nextBefore.map(\.description) == ["2026-12-01T01:00:00Z", "2026-12-02T01:00:00Z", "2026-12-03T01:00:00Z"])
        #expect(change.nextAfter.map(\.description) == ["2026-12-01T01:00:00Z", "2026-12-08T01:00:00Z", "2026-12-15T01:00:00Z"])
    }

    @Test func theSameSchedulesWrittenDifferentlyAreNoChange() async throws {
        let reader = FakeRevision(files: ["a.yaml": base])
        let current = [spec("a", "# reformatted\nrepeat: daily\ntimezone: Europe/Madrid\nstart: 2026-12-01 02:00\nparams:\n  learning_rate: 0.001\n")]
        let diff = try await ScheduleDiff.against(revision: "main", reader: reader, folder: "schedules", context: ValidationContext(),
                                                  current: current, now: Instant.parse("2026-11-25T12:00:00Z")!)
        #expect(diff.isEmpty)
        #expect(DiffRenderer.markdown(diff) == "### retrain plan against `main`\n\nThis change adds, changes and deletes no schedules.\n")
    }
}
