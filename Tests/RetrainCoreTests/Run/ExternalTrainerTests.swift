import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite(.serialized) struct ExternalTrainerTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-trainer-\(UUID().uuidString)").path
    let clock = FixedClock("2026-12-01T01:00:05Z")

    func request(_ command: [String], timeout: Int = 30) -> TrainerRequest {
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return TrainerRequest(
            schedule: "churn", runID: "churn@20261201T010000Z", model: "churn", command: command,
            paramsJSON: "{\"epochs\":3}", data: "data/churn.csv", target: "left",
            repositoryRoot: root, runFolder: "reports/churn/churn@20261201T010000Z",
            outputFolder: "models/churn/churn@20261201T010000Z", timeoutSeconds: timeout)
    }

    func log(_ r: TrainerRequest) -> String { (try? String(contentsOfFile: root + "/" + r.logPath, encoding: .utf8)) ?? "" }

    @Test func theContractEnvironmentAndMetrics() async throws {
        let script = """
            echo "run=$RETRAIN_RUN_ID schedule=$RETRAIN_SCHEDULE model=$RETRAIN_MODEL data=$RETRAIN_DATA target=$RETRAIN_TARGET"
            echo "params=$(cat "$RETRAIN_PARAMS") cwd=$(pwd)"
            echo to-stderr >&2
            test -d "$RETRAIN_OUTPUT" && echo '{"auc": 0.91, "rows": 1200}' > "$RETRAIN_METRICS"
            """
        let r = request(["sh", "-c", script])
        let outcome = await ExternalTrainer.run(r, clock: clock)
        #expect(
            outcome
                == TrainerOutcome(
                    status: .trained, reason: nil, exitCode: 0, metrics: ["auc": 0.91, "rows": 1200],
                    startedAt: "2026-12-01T01:00:05Z", finishedAt: "2026-12-01T01:00:05Z"))
        #expect(
            log(r) == """
                run=churn@20261201T010000Z schedule=churn model=churn data=data/churn.csv target=left
                params={"epochs":3} cwd=\(root)
                to-stderr

                """)
    }

    @Test(arguments: [
        ("exit 3", "exit 3"),
        ("true", "exit 0 but no metrics file: the trainer must write a JSON object of numbers to $RETRAIN_METRICS"),
        ("echo '[1,2]' > \"$RETRAIN_METRICS\"", "the metrics file is not a JSON object of numbers (it starts: \"[1,2]\\n\")"),
        (
            "echo '{\"auc\": \"high\"}' > \"$RETRAIN_METRICS\"",
            "'auc' is not a number; the metrics file is a JSON object of numbers (and optionally \"champion\": {…} of numbers, \"champion_unscored\": \"why\")"
        ),
        (
            "echo '{\"auc\": 0.8, \"champion\": 0.7}' > \"$RETRAIN_METRICS\"",
            "'champion' must be an object of the champion's metrics on the same holdout, like {\"auc\": 0.81}"
        ),
        (
            "echo '{\"auc\": 0.8, \"champion\": {\"auc\": \"x\"}}' > \"$RETRAIN_METRICS\"",
            "champion: 'auc' is not a number; the metrics file is a JSON object of numbers (and optionally \"champion\": {…} of numbers, \"champion_unscored\": \"why\")"
        ),
        ("echo '{}' > \"$RETRAIN_METRICS\"", "the metrics file is an empty object: no metric to check"),
        ("kill -9 $$", "killed by signal 9"),
    ])
    func failuresSayWhy(script: String, reason: String) async {
        let outcome = await ExternalTrainer.run(request(["sh", "-c", script]), clock: clock)
        #expect(outcome.status == .failed)
        #expect(outcome.reason == reason)
    }

    @Test func aMissingProgramFailsClearly() async {
        let r = request(["no-such-trainer-xyz", "--fast"])
        let outcome = await ExternalTrainer.run(r, clock: clock)
        #expect(outcome.status == .failed)
        #expect(outcome.reason?.hasPrefix("cannot start no-such-trainer-xyz:") == true)
        #expect(log(r).hasPrefix("retrain: cannot start no-such-trainer-xyz:"))
    }

    @Test func aHangingTrainerIsStoppedWithEverythingItStarted() async throws {
        let pids = root + "/pids"
        // The child ignores TERM and would outlive its parent; the whole group must still go.
        let script = "(trap '' TERM; sleep 300) & echo $! > \(pids); sleep 300"
        let started = Date()
        let outcome = await ExternalTrainer.run(request(["sh", "-c", script], timeout: 1), clock: clock)
        #expect(outcome.status == .failed && outcome.reason == "timeout after 1s")
        #expect(Date().timeIntervalSince(started) < 15)
        let child = try #require(Int32(try String(contentsOfFile: pids, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        try await Task.sleep(for: .milliseconds(200))
        // Gone, or a zombie waiting for init to reap it (the process state in /proc is Z): not running.
        let stat = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first.map(String.init)
        #expect(stat.isEmpty || state == "Z", "the grandchild \(child) survived the timeout: \(stat)")
    }

    @Test func theExampleTrainerLearnsAndWritesItsArtifact() async throws {
        // 600 rows: leaving is likelier with overtime and low satisfaction; a text column and gaps too.
        var csv = "age,overtime,satisfaction,department,left\n"
        var seed: UInt64 = 7
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for i in 0..<600 {
            let overtime = next() * 20
            let satisfaction = next()
            let age = 20 + next() * 40
            let risk = 0.15 * overtime - 4 * satisfaction + (next() - 0.5) * 2
            let dept = ["sales", "eng", "ops"][i % 3]
            csv +=
                "\(Int(age)),\(i % 17 == 0 ? "" : String(format: "%.2f", overtime)),\(String(format: "%.3f", satisfaction)),\(dept),\(risk > -0.5 ? "yes" : "no")\n"
        }
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try csv.write(toFile: root + "/data/churn.csv", atomically: false, encoding: .utf8)
        let script = repositoryRoot.appendingPathComponent("examples/trainers/sklearn_trainer.py").path
        let r = request(["python3", script])
        let outcome = await ExternalTrainer.run(r, clock: clock)
        #expect(outcome.status == .trained, "\(outcome.reason ?? "") — log: \(log(r))")
        let metrics = try #require(outcome.metrics)
        #expect(Set(metrics.keys) == ["accuracy", "auc", "log_loss", "rows"])
        #expect(metrics["auc"]! > 0.8)
        #expect(metrics["rows"] == 600)
        #expect(FileManager.default.fileExists(atPath: root + "/" + r.outputFolder + "/model.json"))
        #expect(log(r).contains("480 training rows, 120 holdout rows"))
        #expect(outcome.championMetrics == nil && outcome.championUnscored == nil)

        // The next run, with that model as its champion: scored on the same holdout, on the same
        // data, it scores what it recorded.
        var next = request(["python3", script])
        next.runID = "churn@20261202T010000Z"
        next.outputFolder = "models/churn/churn@20261202T010000Z"
        next.runFolder = "reports/churn/churn@20261202T010000Z"
        next.champion = r.outputFolder
        let judged = await ExternalTrainer.run(next, clock: clock)
        let champion = try #require(judged.championMetrics, "\(judged.championUnscored ?? "") — log: \(log(next))")
        #expect(judged.championRun == "churn@20261201T010000Z" && Set(champion.keys) == ["accuracy", "auc", "log_loss"])
        for (name, value) in champion { #expect(abs(value - metrics[name]!) < 1e-9, "\(name)") }
        // A champion folder that is gone: not scored, and why.
        next.champion = "models/churn/gone"
        let gone = await ExternalTrainer.run(next, clock: clock)
        #expect(gone.status == .trained && gone.championMetrics == nil)
        #expect(gone.championUnscored == "its artifact folder models/churn/gone is gone")
    }

    @Test func theExampleTrainerExplainsAMissingColumn() async throws {
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: root + "/data/churn.csv", atomically: false, encoding: .utf8)
        let r = request(["python3", repositoryRoot.appendingPathComponent("examples/trainers/sklearn_trainer.py").path])
        let outcome = await ExternalTrainer.run(r, clock: clock)
        #expect(outcome.reason == "exit 1")
        #expect(log(r) == "sklearn_trainer: column 'left' is not in data/churn.csv (columns: a, b)\n")
    }
}
