import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct PlannerTests {
    let daily = spec("d", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\n")

    @Test func aScheduleMergedJustAfterItsSlotStillRunsIt() {
        #expect(
            planLines([daily], now: "2026-11-25T01:10:00Z") == [
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
        #expect(
            planLines([daily], state: state, now: "2026-11-24T09:00:00Z") == [
                "d skip superseded_by_latest 2026-11-23T01:00:00Zx2", "d run catchup_latest 2026-11-24T01:00:00Z d@20261124T010000Z",
            ])
    }

    @Test func catchupNoneRunsOnlyWhatIsOnTime() {
        let s = spec("n", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\ncatchup: none\n")
        let state = ["n": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-21T01:00:00Z")]
        #expect(
            planLines([s], state: state, now: "2026-11-24T04:00:00Z") == [
                "n skip catchup_none 2026-11-23T01:00:00Zx2", "n skip catchup_none 2026-11-24T01:00:00Z",
            ])
        #expect(
            planLines([s], state: state, now: "2026-11-24T01:30:00Z") == [
                "n skip catchup_none 2026-11-23T01:00:00Zx2", "n run due 2026-11-24T01:00:00Z n@20261124T010000Z",
            ])
    }

    @Test func catchupAllRunsTheOldestFirstAndAtMost100() {
        let s = spec("a", "start: 2026-11-01\nrepeat: \"0 * * * *\"\ncatchup: all\n")
        let state = ["a": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-20T00:00:00Z")]
        #expect(planLines([s], state: state, now: "2026-11-20T03:30:00Z") == ["a run catchup_all 2026-11-20T01:00:00Z a@20261120T010000Z"])
        #expect(
            planLines([s], state: state, now: "2026-11-26T06:30:00Z") == [
                "a skip catchup_limit 2026-11-22T02:00:00Zx50", "a run catchup_all 2026-11-22T03:00:00Z a@20261122T030000Z",
            ])
    }

    /// However long the gap, the latest slot is found directly: a schedule every minute looked at a
    /// year later runs the slot due now (latest), or the oldest of the last 100 (all), never a year-old one.
    @Test func aGapOfAYearOfMinutesIsSkippedToTheLatestSlots() {
        for (catchup, lines) in [
            (
                "latest",
                [
                    "m skip superseded_by_latest 2026-11-25T10:20:00Zx1000", "m skip superseded_by_latest 2026-11-25T11:59:00Zx99",
                    "m run catchup_latest 2026-11-25T12:00:00Z m@20261125T120000Z",
                ]
            ),
            ("all", ["m skip catchup_limit 2026-11-25T10:20:00Zx1000", "m run catchup_all 2026-11-25T10:21:00Z m@20261125T102100Z"]),
        ] {
            let s = spec("m", "start: 2025-11-01\nrepeat: \"* * * * *\"\ncatchup: \(catchup)\n")
            let state = ["m": seen(s, anchor: "2025-11-25T12:00:00Z", lastSlot: "2025-11-25T12:00:00Z")]
            #expect(planLines([s], state: state, now: "2026-11-25T12:00:30Z") == lines)
        }
    }

    @Test func aDeadlineSkipsLateSlots() {
        let s = spec("l", "start: 2026-11-01\nrepeat: \"0 */4 * * *\"\ndeadline: 2h\n")
        let state = ["l": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T16:00:00Z")]
        #expect(
            planLines([s], state: state, now: "2026-11-25T01:00:00Z") == [
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
        #expect(
            planLines(
                [after], state: ["r": seen(before, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-20T00:00:00Z")], now: "2026-11-25T09:00:00Z")
                == ["r adopt timing_changed", "r noop not_due"])
        let relabelled = spec("r", "start: 2026-11-01\nrepeat: daily\nlabels: {team: x}\n")
        #expect(
            planLines(
                [relabelled], state: ["r": seen(before, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T00:00:00Z")],
                now: "2026-11-25T00:10:00Z")
                == ["r adopt spec_changed", "r run due 2026-11-25T00:00:00Z r@20261125T000000Z"])
    }

    @Test func deletedFilesAreOrphanedAndBrokenFilesKept() {
        let state = ["gone": seen(daily, anchor: "2026-11-01T00:00:00Z"), "broken": seen(daily, anchor: "2026-11-01T00:00:00Z")]
        #expect(planLines([], state: state, now: "2026-11-25T09:00:00Z", invalid: ["broken"]) == ["broken noop invalid", "gone orphan file_deleted"])
        #expect(
            planLines([], state: state, now: "2026-11-25T09:00:00Z", invalid: ["broken"], prune: true) == [
                "broken noop invalid", "gone prune file_deleted",
            ])
    }

    @Test func aOnceThatRanHasNoMoreSlots() {
        let s = spec("o", "start: 2026-11-20\n")
        #expect(
            planLines([s], state: ["o": seen(s, anchor: "2026-11-19T00:00:00Z", lastSlot: "2026-11-20T00:00:00Z")], now: "2026-11-25T00:00:00Z")
                == ["o noop no_more_slots"])
    }

    @Test func anEndedRunIsFinishedAndTheNextSlotPlannedInTheSamePass() {
        let state = ["d": seen(daily, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T01:00:00Z", active: "d@20261124T010000Z")]
        #expect(
            planLines([daily], state: state, now: "2026-11-25T01:05:00Z", observations: ["d": ended(.trained)]) == [
                "d finish run_ended d@20261124T010000Z: completed: accuracy 0.9123", "d run due 2026-11-25T01:00:00Z d@20261125T010000Z",
            ])
        #expect(
            planLines([daily], state: state, now: "2026-11-25T01:05:00Z", observations: ["d": .running]) == [
                "d skip previous_still_running 2026-11-25T01:00:00Z"
            ])
        #expect(
            planLines([daily], state: state, now: "2026-11-25T01:05:00Z", observations: ["d": .interrupted("interrupted: gone")]) == [
                "d finish run_interrupted d@20261124T010000Z: failed (interrupted: gone)", "d run due 2026-11-25T01:00:00Z d@20261125T010000Z",
            ])
        #expect(planLines([daily], state: state, now: "2026-11-24T09:00:00Z", observations: ["d": .elsewhere("on gpu1")]) == ["d noop running"])
    }

    @Test func aFailedRunIsRetriedAfterADoublingDelayUnlessANewerSlotComes() {
        let s = spec("r", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\nretries: 2\nretry_delay: 10m\n")
        var entry = seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z", active: "r@20261125T010000Z")
        entry.activeRun!.slot = "2026-11-25T01:00:00Z"
        #expect(
            planLines([s], state: ["r": entry], now: "2026-11-25T01:12:00Z", observations: ["r": ended(.failed, "exit 1")]) == [
                "r finish run_ended r@20261125T010000Z: failed (exit 1); attempt 2 of 3 from 2026-11-25T01:20:00Z",
                "r noop retry_waiting 2026-11-25T01:00:00Z",
            ])
        // What the pass records, and the next passes.
        var after = entry
        let run = after.activeRun!
        guard case .ended(let outcome) = ended(.failed, "exit 1") else { return }
        RunLedger.finish(&after, run: run, outcome: outcome, spec: s, now: Instant.parse("2026-11-25T01:12:00Z")!)
        #expect(
            after.retry
                == PendingRetry(
                    id: "r@20261125T010000Z", slot: "2026-11-25T01:00:00Z", attempt: 2, notBefore: "2026-11-25T01:20:00Z", reason: "exit 1"))
        #expect(after.lastRun == nil && after.consecutiveFailures == 0)
        #expect(
            planLines([s], state: ["r": after], now: "2026-11-25T01:20:00Z") == [
                "r run retry_after_failure 2026-11-25T01:00:00Z r@20261125T010000Z#2"
            ])
        // The second failure waits twice as long; the third is final.
        var second = after
        second.retry = nil
        var secondRun = run
        secondRun.attempt = 2
        RunLedger.finish(&second, run: secondRun, outcome: outcome, spec: s, now: Instant.parse("2026-11-25T01:30:00Z")!)
        #expect(second.retry?.notBefore == "2026-11-25T01:30:00Z")
        var third = second
        var thirdRun = run
        thirdRun.attempt = 3
        let final = RunLedger.finish(&third, run: thirdRun, outcome: outcome, spec: s, now: Instant.parse("2026-11-25T02:00:00Z")!)
        #expect(final.retry == nil && final.record?.status == .failed)
        #expect(third.consecutiveFailures == 1 && third.lastRun?.id == "r@20261125T010000Z" && third.lastRun?.status == .failed)
        // A newer slot replaces a pending retry, which then counts as the run's failure.
        #expect(
            planLines([s], state: ["r": after], now: "2026-11-26T01:05:00Z") == [
                "r run due 2026-11-26T01:00:00Z r@20261126T010000Z"
            ])
        var replaced = after
        let gaveWay = RunLedger.started(
            &replaced,
            run: ActiveRun(id: "r@20261126T010000Z", slot: "2026-11-26T01:00:00Z", executor: "local", startedAt: "2026-11-26T01:05:00Z", attempt: 1))
        #expect(replaced.retry == nil && gaveWay?.status == .failed && gaveWay?.id == "r@20261125T010000Z" && replaced.consecutiveFailures == 1)
        #expect(replaced.lastRun?.id == "r@20261125T010000Z")
    }

    @Test func maxParallelCountsRunsStillGoing() {
        let ids = ["a", "b", "c"]
        let specs = ids.map { spec($0, "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\n") }
        var state: [String: ScheduleState] = [:]
        for s in specs { state[s.id] = seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T01:00:00Z") }
        state["z"] = seen(daily, anchor: "2026-11-01T00:00:00Z", active: "z@1")
        #expect(
            planLines(specs, state: state, now: "2026-11-25T01:05:00Z", maxParallel: 2) == [
                "a run due 2026-11-25T01:00:00Z a@20261125T010000Z", "b noop max_parallel 2026-11-25T01:00:00Z",
                "c noop max_parallel 2026-11-25T01:00:00Z",
                "z orphan file_deleted",
            ])
        // The same with the running one a schedule with a file (every state entry known): still counted.
        state["z"] = nil
        state["c"] = seen(specs[2], anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-24T01:00:00Z", active: "c@20261124T010000Z")
        #expect(
            planLines(specs, state: state, now: "2026-11-25T01:05:00Z", maxParallel: 2) == [
                "a run due 2026-11-25T01:00:00Z a@20261125T010000Z", "b noop max_parallel 2026-11-25T01:00:00Z",
                "c skip previous_still_running 2026-11-25T01:00:00Z",
            ])
    }

    @Test func aTriggerWaitsUnrecordedWhileARunIsGoing() {
        let s = spec("t", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\ntrigger: b\n")
        let state = ["t": seen(s, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z", trigger: "a", active: "t@20261125T010000Z")]
        #expect(
            planLines([s], state: state, now: "2026-11-25T10:00:00Z") == ["t noop previous_still_running 2026-11-25T10:00:00Z", "t noop running"])
    }

    @Test func aReusedTriggerValueOrManualIDGetsAFreshRunID() {
        var entry = seen(daily, anchor: "2026-11-01T00:00:00Z")
        #expect(RunLedger.freshRunID("d@trigger-a", taken: [], in: entry) == "d@trigger-a")
        #expect(RunLedger.freshRunID("d@trigger-a", taken: ["d@trigger-a", "d@trigger-a-2"], in: entry) == "d@trigger-a-3")
        // A pending retry's id is taken too.
        entry.retry = PendingRetry(id: "d@trigger-a", slot: "2026-11-20T00:00:00Z", attempt: 2, notBefore: "2026-11-20T00:10:00Z", reason: "exit 1")
        #expect(RunLedger.freshRunID("d@trigger-a", taken: [], in: entry) == "d@trigger-a-2")
        // The planner takes the ledger's ids from its input.
        let t = spec("t", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\ntrigger: a\n")
        var file = StateFile()
        file.schedules["t"] = seen(t, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z", trigger: "old")
        let plan = Planner.plan(Planner.Input(schedules: [t], state: file, now: "2026-11-25T10:00:00Z", takenRunIDs: ["t": ["t@trigger-a"]]))
        #expect(plan.actions.map(\.runID) == ["t@trigger-a-2"])
    }

    @Test func anOrphanWhoseFileIsBackIsRestored() {
        var entry = seen(daily, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T01:00:00Z")
        entry.orphaned = true
        #expect(planLines([daily], state: ["d": entry], now: "2026-11-25T09:00:00Z") == ["d adopt restored", "d noop not_due"])
    }

    @Test func unchangedFileBytesVouchForTheRecordedHashes() {
        var entry = ScheduleState(specHash: "recorded", timingHash: "recorded", anchor: "2026-11-01T00:00:00Z")
        entry.lastSlot = "2026-11-25T01:00:00Z"
        entry.sourceHash = daily.sourceHash
        #expect(planLines([daily], state: ["d": entry], now: "2026-11-25T09:00:00Z") == ["d noop not_due"])
        entry.sourceHash = String(repeating: "0", count: 64)
        #expect(planLines([daily], state: ["d": entry], now: "2026-11-25T09:00:00Z") == ["d adopt timing_changed", "d noop not_due"])
    }

    @Test func equalSpecsWrittenDifferentlyHashAlike() {
        let a = spec("h", "start: 2026-12-01\nparams: {epochs: 5, seed: 1}\nlabels: {b: 2, a: 1}\n")
        let b = spec("h", "# comment\nlabels:\n  a: 1\n  b: 2\nparams:\n  seed: 1\n  epochs: 5\nstart: 2026-12-01 00:00\n")
        #expect(a.specHash == b.specHash && a.timingHash == b.timingHash)
        #expect(a.specHash != spec("h", "start: 2026-12-01\nparams: {epochs: 6, seed: 1}\nlabels: {b: 2, a: 1}\n").specHash)
    }
}
