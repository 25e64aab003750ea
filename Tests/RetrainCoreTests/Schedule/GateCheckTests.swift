import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct GateCheckTests {
    func gate(_ text: String) throws -> Gate {
        try Gate.parse(text).get()
    }

    @Test func absoluteThresholdsAndEveryComparison() throws {
        let m = ["auc": 0.8, "rmse": 2.0]
        #expect(try gate("auc >= 0.8").check(m, champion: nil, previous: nil).held)
        #expect(try !gate("auc > 0.8").check(m, champion: nil, previous: nil).held)
        #expect(try gate("rmse <= 2").check(m, champion: nil, previous: nil).held)
        #expect(try !gate("rmse < 2").check(m, champion: nil, previous: nil).held)
        let failed = try gate("auc >= 0.85").check(m, champion: nil, previous: nil)
        #expect(failed == GateCheck(gate: "auc >= 0.85", value: 0.8, threshold: 0.85, held: false, note: nil))
        #expect(failed.explanation == "auc >= 0.85 (0.8 vs 0.85)")
    }

    @Test func changesAgainstTheChampionAndThePreviousRun() throws {
        let m = ["auc": 0.79, "log_loss": 0.33]
        let recorded = ["auc": 0.80, "log_loss": 0.30]
        let champion = ChampionBaseline(onHoldout: nil, recorded: recorded, unscored: "its artifact folder models/r/r@1 is gone")
        let check = try gate("auc >= champion.auc - 0.02").check(m, champion: champion, previous: nil)
        #expect(check.held && abs(check.threshold! - 0.78) < 1e-12)
        #expect(check.basis == .recorded && check.note == "the champion's recorded score: its artifact folder models/r/r@1 is gone")
        let above = try gate("auc >= champion.auc + 0.01").check(m, champion: champion, previous: nil)
        #expect(!above.held && above.explanation == "auc >= champion.auc + 0.01 (0.79 vs 0.81, the champion's recorded score)")
        let relative = try gate("log_loss <= previous.log_loss * 1.10").check(m, champion: nil, previous: recorded)
        #expect(relative.held && abs(relative.threshold! - 0.33) < 1e-12)
        #expect(try !gate("log_loss <= previous.log_loss * 1.05").check(m, champion: nil, previous: recorded).held)
    }

    @Test func theChampionScoredOnTheSameHoldoutIsWhatChampionGatesCompareWith() throws {
        // Recorded 0.85 on its own holdout; 0.70 on this run's: the new model's 0.72 is better.
        let champion = ChampionBaseline(onHoldout: ["auc": 0.70], recorded: ["auc": 0.85, "f1": 0.6], unscored: nil)
        let check = try gate("auc >= champion.auc - 0.02").check(["auc": 0.72, "f1": 0.5], champion: champion, previous: nil)
        #expect(check.held && check.basis == .sameHoldout && check.note == nil && abs(check.threshold! - 0.68) < 1e-12)
        #expect(check.explanation == "auc >= champion.auc - 0.02 (0.72 vs 0.68)")
        // A metric the trainer did not score the champion on falls back to the recorded one, saying so.
        let f1 = try gate("f1 >= champion.f1").check(["auc": 0.72, "f1": 0.5], champion: champion, previous: nil)
        #expect(!f1.held && f1.basis == .recorded && f1.threshold == 0.6)
        #expect(f1.note == "the champion's recorded score: the trainer did not score it on this holdout")
    }

    @Test func aMissingBaselineHoldsAndAMissingMetricFails() throws {
        let first = try gate("auc >= champion.auc - 0.02").check(["auc": 0.5], champion: nil, previous: nil)
        #expect(first == GateCheck(gate: "auc >= champion.auc - 0.02", value: 0.5, threshold: nil, held: true, note: "no champion yet"))
        let older = try gate("f1 >= previous.f1").check(["f1": 0.5], champion: nil, previous: ["auc": 0.9])
        #expect(older.held && older.note == "the previous has no 'f1'")
        let unreported = try gate("auc >= 0.5").check(["rmse": 1], champion: nil, previous: nil)
        #expect(!unreported.held && unreported.note == "the trainer reported no 'auc'")
    }

    @Test func aRunIsPromotedWhenEveryGateHoldsAndRejectedOtherwise() {
        let s = spec("r", "start: 2026-11-25 01:00\nrepeat: daily\ngates: [accuracy >= 0.7, accuracy >= champion.accuracy - 0.01]\n")
        var entry = ScheduleState(specHash: s.specHash, timingHash: s.timingHash, anchor: "2026-11-25T00:00:00Z")
        func finish(_ id: String, accuracy: Double) -> RunLedger.Finished {
            let run = ActiveRun(
                id: id, slot: "2026-11-25T01:00:00Z", executor: "local", pid: 1, host: "vm", slurmJob: nil, startedAt: "2026-11-25T01:00:00Z",
                attempt: 1)
            let outcome = TrainerOutcome(
                status: .trained, reason: nil, exitCode: 0, metrics: ["accuracy": accuracy],
                startedAt: "2026-11-25T01:00:00Z", finishedAt: "2026-11-25T01:05:00Z")
            _ = RunLedger.started(&entry, run: run)
            return RunLedger.finish(&entry, run: run, outcome: outcome, spec: s, now: Instant.parse("2026-11-25T01:06:00Z")!)
        }
        let first = finish("r@1", accuracy: 0.8)
        #expect(first.status == .completed && first.championBefore == nil && first.championAfter == "r@1")
        #expect(first.gates.map(\.held) == [true, true])
        let worse = finish("r@2", accuracy: 0.75)
        #expect(worse.status == .rejected)
        #expect(worse.reason == "gate failed: accuracy >= champion.accuracy - 0.01 (0.75 vs 0.79, the champion's recorded score)")
        #expect(entry.champion?.id == "r@1" && worse.championAfter == "r@1")
        #expect(entry.lastRun?.status == .rejected && entry.lastTrained?.id == "r@2")
        let below = finish("r@3", accuracy: 0.6)
        #expect(
            below.reason
                == "gate failed: accuracy >= 0.7 (0.6 vs 0.7); accuracy >= champion.accuracy - 0.01 (0.6 vs 0.79, the champion's recorded score)")
        let better = finish("r@4", accuracy: 0.85)
        #expect(better.status == .completed && better.championBefore == "r@1" && entry.champion?.id == "r@4")
        #expect(entry.consecutiveFailures == 0)  // a rejection is not a failure
    }
}
