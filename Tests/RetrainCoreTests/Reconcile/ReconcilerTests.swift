import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// The reconciler in process: a fake executor, a fixed clock, a state folder of its own. What a pass
/// records, in the state, the ledger, the outbox and result.json, when runs finish, fail, retry, are
/// promoted or rejected.
@Suite struct ReconcilerTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-reconciler-\(UUID().uuidString)").path
    let clock = FixedClock("2026-11-25T01:05:00Z")

    var store: StateStore { StateStore(path: root + "/.retrain/state.json") }

    func reconciler(_ executor: FakeExecutor, notify: NotifySpec? = nil) -> Reconciler {
        Reconciler(
            store: store, executor: executor, options: .init(reports: "reports", models: "models", maxParallel: 10, defaultNotify: notify),
            repositoryRoot: root)
    }

    /// One pass over `specs` at the clock's time: what each action came to, as `schedule kind: result`.
    @discardableResult
    func pass(_ reconciler: Reconciler, _ specs: [ScheduleSpec]) throws -> [String] {
        let pass = try reconciler.pass(Reconciler.Observed(schedules: specs, invalid: [], workingTree: nil), now: clock.now(), warn: { _ in })
        return pass.plan.actions.indices.compactMap { i in
            pass.results[i].map { "\(pass.plan.actions[i].schedule) \(pass.plan.actions[i].kind.rawValue): \($0)" }
        }
    }

    func state() throws -> ScheduleState { try #require(try store.load().schedules["d"]) }
    func ledger() -> [RunRecord] { store.history.read("d").records }

    /// The daily schedule's first slot run and recorded (accuracy 0.8), as most tests start.
    func firstSlotRecorded(_ reconciler: Reconciler, _ executor: FakeExecutor) throws {
        try pass(reconciler, [daily])
        executor.end("d@20261125T010000Z", metrics: ["accuracy": 0.8], startedAt: "2026-11-25T01:05:00Z", finishedAt: "2026-11-25T01:06:00Z")
        try pass(reconciler, [daily])
    }

    let daily = spec(
        "d", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\ngates: [accuracy >= 0.7, accuracy >= champion.accuracy - 0.01]\n")

    @Test func aDueRunIsStartedThenFinishedAndPromoted() throws {
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor)
        #expect(try pass(r, [daily]) == ["d adopt: recorded", "d run: started"])
        #expect(executor.started.map(\.trainer.runID) == ["d@20261125T010000Z"])
        #expect(try state().activeRun?.id == "d@20261125T010000Z" && ledger().isEmpty)
        // Nothing more while it runs.
        clock.advance(60)
        #expect(try pass(r, [daily]) == [])
        executor.end("d@20261125T010000Z", metrics: ["accuracy": 0.8], startedAt: "2026-11-25T01:05:00Z", finishedAt: "2026-11-25T01:06:00Z")
        #expect(try pass(r, [daily]) == ["d finish: completed: accuracy 0.8"])
        let entry = try state()
        #expect(entry.activeRun == nil && entry.champion?.id == "d@20261125T010000Z" && entry.lastRun?.status == .completed)
        #expect(ledger().map(\.id) == ["d@20261125T010000Z"] && ledger().first?.metrics == ["accuracy": 0.8])
        let result = try #require(SourceFile.readJSON(RunResult.self, root + "/reports/d/d@20261125T010000Z/result.json"))
        #expect(result.status == .completed && result.championAfter == "d@20261125T010000Z" && result.gates.map(\.held) == [true, true])
        #expect(SourceFile.exists(root + "/models/d/champion.json"))
    }

    /// A manual run's id comes from the clock, so no later pass plans it again: when the process that
    /// started it dies before saving the state, its journal entry is what finds it.
    @Test func aManualRunWhoseStartWasNeverSavedIsFoundAndRecordedOnce() throws {
        let executor = FakeExecutor(root: root)
        var r = reconciler(executor)
        try firstSlotRecorded(r, executor)
        // `run d` is killed after the supervisor started and before the state was saved: the disk then
        // holds the state from before and the journal entry written before the start.
        let statePath = root + "/.retrain/state.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: statePath))
        let journal = store.started.folder
        nonisolated(unsafe) var noted: [(String, Data)] = []
        r.afterStart = {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: journal)) ?? [] {
                noted.append((name, (try? Data(contentsOf: URL(fileURLWithPath: journal + "/" + name))) ?? Data()))
            }
        }
        clock.advance(600)
        let (started, _) = try r.startManual(
            daily, observed: .init(schedules: [daily], invalid: [], workingTree: nil), now: clock.now(), warn: { _ in })
        guard case .started(let run, _) = started else {
            Issue.record("not started: \(started)")
            return
        }
        #expect(run.id == "d@manual-20261125T011500Z" && noted.map(\.0) == ["d@manual-20261125T011500Z.json"])
        #expect((try? FileManager.default.contentsOfDirectory(atPath: journal)) == [], "a saved state leaves no journal entry")
        try before.write(to: URL(fileURLWithPath: statePath))
        for (name, bytes) in noted { try bytes.write(to: URL(fileURLWithPath: journal + "/" + name)) }
        r.afterStart = {}
        // The next passes find it, follow it while it runs and record it once when it ends.
        var warnings: [String] = []
        let first = try r.pass(.init(schedules: [daily], invalid: [], workingTree: nil), now: clock.now(), warn: { warnings.append($0) })
        #expect(
            first.plan.actions.allSatisfy { $0.kind == .noop }
                && warnings == ["d@manual-20261125T011500Z was started by a process that ended before recording it; it is followed from now on"])
        #expect(try state().activeRun?.id == "d@manual-20261125T011500Z" && (try? FileManager.default.contentsOfDirectory(atPath: journal)) == [])
        executor.end("d@manual-20261125T011500Z", metrics: ["accuracy": 0.85], startedAt: "2026-11-25T01:15:00Z", finishedAt: "2026-11-25T01:16:00Z")
        #expect(try pass(r, [daily]) == ["d finish: completed: accuracy 0.85"])
        #expect(try pass(r, [daily]) == [])
        #expect(ledger().map(\.id) == ["d@20261125T010000Z", "d@manual-20261125T011500Z"])
        // Killed after noting it and before its supervisor started: recorded as interrupted.
        try store.started.note(
            ActiveRun(
                id: "d@manual-20261125T012000Z", slot: "2026-11-25T01:20:00Z", executor: "fake", pid: nil, host: nil,
                startedAt: "2026-11-25T01:20:00Z", attempt: 1, folder: "reports/d/d@manual-20261125T012000Z/attempt-1"), schedule: "d")
        try pass(r, [daily])
        #expect(ledger().last?.id == "d@manual-20261125T012000Z" && ledger().last?.status == .failed)
        #expect(ledger().last?.reason?.contains("interrupted") == true)
    }

    /// A backfilled slot runs with its slot's id and RETRAIN_SLOT; once it trained, a second
    /// backfill of it (another process that planned it meanwhile) is told so under the lock and
    /// starts nothing.
    @Test func aBackfilledSlotRunsOnceEvenWhenTwoBackfillsPlanIt() throws {
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor)
        try firstSlotRecorded(r, executor)
        let observed = Reconciler.Observed(schedules: [daily], invalid: [], workingTree: nil)
        let slot = Instant.parse("2026-11-20T01:00:00Z")!
        clock.advance(600)
        let (first, _) = try r.startManual(daily, observed: observed, now: clock.now(), backfilling: slot, warn: { _ in })
        guard case .started(let run, _) = first else {
            Issue.record("not started: \(first)")
            return
        }
        #expect(run.id == "d@20261120T010000Z" && run.slot == slot)
        let request = try #require(executor.started.last)
        #expect(request.trainer.slot == slot && request.reason == "backfill")
        executor.end(run.id, metrics: ["accuracy": 0.75], startedAt: clock.now(), finishedAt: clock.now())
        _ = try r.finishEnded(["d"], specs: [daily], observed: observed, now: clock.now(), warn: { _ in })
        let (second, _) = try r.startManual(daily, observed: observed, now: clock.now(), backfilling: slot, warn: { _ in })
        guard case .done(let why) = second else {
            Issue.record("started again: \(second)")
            return
        }
        #expect(why == "slot 2026-11-20T01:00:00Z trained already (d@20261120T010000Z rejected); not run again")
        #expect(executor.started.count == 2 && ledger().map(\.id) == ["d@20261125T010000Z", "d@20261120T010000Z"])
    }

    @Test func aGateThatFailsRejectsTheModelAndKeepsTheChampion() throws {
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor)
        try firstSlotRecorded(r, executor)
        clock.set("2026-11-26T01:05:00Z")
        #expect(try pass(r, [daily]) == ["d run: started"])
        executor.end("d@20261126T010000Z", metrics: ["accuracy": 0.75], startedAt: "2026-11-26T01:05:00Z", finishedAt: "2026-11-26T01:06:00Z")
        #expect(
            try pass(r, [daily]) == [
                "d finish: rejected (gate failed: accuracy >= champion.accuracy - 0.01 (0.75 vs 0.79, the champion's recorded score)): accuracy 0.75"
            ])
        let entry = try state()
        #expect(entry.champion?.id == "d@20261125T010000Z" && entry.lastTrained?.id == "d@20261126T010000Z" && entry.consecutiveFailures == 0)
        #expect(ledger().map(\.status) == [.completed, .rejected])
    }

    @Test func aFailedAttemptIsRetriedAndTheRunRecordedOnceWhenItIsOver() throws {
        let s = spec("d", "start: 2026-11-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\nretries: 1\nretry_delay: 10m\n")
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor)
        try pass(r, [s])
        executor.end("d@20261125T010000Z", startedAt: "2026-11-25T01:05:00Z", finishedAt: "2026-11-25T01:06:00Z")
        #expect(try pass(r, [s]) == ["d finish: failed (exit 1); attempt 2 of 2 from 2026-11-25T01:16:00Z"])
        #expect(try state().retry?.attempt == 2 && ledger().isEmpty)  // not over yet: nothing in the ledger
        clock.set("2026-11-25T01:16:00Z")
        #expect(try pass(r, [s]) == ["d run: started"])
        #expect(executor.started.map(\.trainer.attempt) == [1, 2])
        executor.end("d@20261125T010000Z", reason: "exit 2", startedAt: "2026-11-25T01:16:00Z", finishedAt: "2026-11-25T01:17:00Z")
        #expect(try pass(r, [s]) == ["d finish: failed (exit 2)"])
        #expect(ledger().map { "\($0.id) \($0.status.rawValue) \($0.attempt) \($0.reason ?? "")" } == ["d@20261125T010000Z failed 2 exit 2"])
        #expect(try state().consecutiveFailures == 1)
        let result = try #require(SourceFile.readJSON(RunResult.self, root + "/reports/d/d@20261125T010000Z/result.json"))
        #expect(result.attempts.map(\.attempt) == [1, 2] && result.status == .failed)
    }

    @Test func aNoticeIsQueuedOnceWithTheRunThatCausedIt() throws {
        var notify = NotifySpec()
        notify.email = ["ops@example.com"]
        notify.on = [.failed, .recovered]
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor, notify: notify)
        try pass(r, [daily])
        executor.end("d@20261125T010000Z", startedAt: "2026-11-25T01:05:00Z", finishedAt: "2026-11-25T01:06:00Z")
        try pass(r, [daily])
        let file = try store.load()
        #expect(file.outbox == ["d@20261125T010000Z.failed"])
        let notice = try #require(store.outbox.read("d@20261125T010000Z.failed"))
        #expect(notice.event == .failed && notice.schedule == "d" && notice.text.contains("Status:   failed"))
        // Another pass queues nothing more.
        clock.advance(300)
        try pass(r, [daily])
        #expect(try store.load().outbox.count == 1)
        // The next slot trains: a recovery.
        clock.set("2026-11-26T01:05:00Z")
        try pass(r, [daily])
        executor.end("d@20261126T010000Z", metrics: ["accuracy": 0.9], startedAt: "2026-11-26T01:05:00Z", finishedAt: "2026-11-26T01:06:00Z")
        try pass(r, [daily])
        #expect(try store.load().outbox == ["d@20261125T010000Z.failed", "d@20261126T010000Z.recovered"])
    }

    @Test func aRunThatCannotStartIsRecordedAsAFailedAttempt() throws {
        let executor = FakeExecutor(root: root)
        executor.refuse("d@20261125T010000Z", "cannot create reports/d: disk full")
        #expect(try pass(reconciler(executor), [daily]) == ["d adopt: recorded", "d run: could not start: cannot create reports/d: disk full"])
        #expect(ledger().map(\.reason) == ["cannot create reports/d: disk full"])
        #expect(try state().lastSlot == "2026-11-25T01:00:00Z")  // answered: not started again and again
    }

    /// Slurm's controller down: the run is not started, the slot is answered (never started twice),
    /// and the same attempt waits as a retry due at once, spending none of `retries: 0`.
    @Test func aRunWhoseExecutorIsUnavailableIsTriedAgainNextPassWithTheSameAttempt() throws {
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor)
        let down = "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)"
        executor.unavailable("d@20261125T010000Z", down)
        let pass1 = try r.pass(Reconciler.Observed(schedules: [daily], invalid: [], workingTree: nil), now: clock.now(), warn: { _ in })
        #expect(pass1.failures == 1 && pass1.results.compactMap { $0 } == ["recorded", "not started: \(down); the next pass tries again"])
        let entry = try state()
        #expect(entry.lastSlot == "2026-11-25T01:00:00Z" && entry.activeRun == nil && ledger().isEmpty)
        #expect(
            entry.retry
                == PendingRetry(
                    id: "d@20261125T010000Z", slot: "2026-11-25T01:00:00Z", attempt: 1, notBefore: clock.now(), reason: "not started: \(down)"))
        // Still down: held again, nothing recorded twice.
        clock.advance(300)
        #expect(try pass(r, [daily]) == ["d run: not started: \(down); the next pass tries again"])
        executor.accept("d@20261125T010000Z")
        clock.advance(300)
        #expect(try pass(r, [daily]) == ["d run: started"])
        #expect(executor.started.map(\.trainer.attempt) == [1] && executor.started.map(\.trainer.runID) == ["d@20261125T010000Z"])
        executor.end("d@20261125T010000Z", metrics: ["accuracy": 0.8], startedAt: clock.now(), finishedAt: clock.now())
        #expect(try pass(r, [daily]) == ["d finish: completed: accuracy 0.8"])
        #expect(ledger().map(\.id) == ["d@20261125T010000Z"] && ledger().first?.attempt == 1)
    }

    @Test func whenTheLedgerCannotBeWrittenNothingIsRecordedAndTheNextPassRecordsItOnce() throws {
        let executor = FakeExecutor(root: root)
        let r = reconciler(executor)
        try pass(r, [daily])
        executor.end("d@20261125T010000Z", metrics: ["accuracy": 0.8], startedAt: "2026-11-25T01:05:00Z", finishedAt: "2026-11-25T01:06:00Z")
        let before = try store.load()
        // The ledger folder cannot be made: a file stands where it goes.
        try Data("x".utf8).write(to: URL(fileURLWithPath: root + "/.retrain/history"))
        #expect(throws: StateError.self) { try pass(r, [daily]) }
        #expect(try store.load() == before)
        try FileManager.default.removeItem(atPath: root + "/.retrain/history")
        #expect(try pass(r, [daily]) == ["d finish: completed: accuracy 0.8"])
        #expect(ledger().map(\.id) == ["d@20261125T010000Z"])
    }
}
