import Foundation
import RetrainTestSupport
import Testing

/// `--format json` of run, report, train and new: one object on stdout, for scripts.
@Suite struct JSONFormatTests {
    let support = ReconcileTests()

    func object(_ run: Run) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
    }

    @Test func runReportAndNewSayWhatTheyDidAsJSON() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule()])
        let run = try object(try retrain(["run", "quick", "--wait", "--format", "json", "--now", "2026-11-25T10:05:00Z"], in: root))
        let started = try #require(run["started"] as? [String: Any])
        #expect(run["schedule"] as? String == "quick" && started["run"] as? String == "quick@manual-20261125T100500Z")
        #expect(started["executor"] as? String == "local" && started["folder"] as? String == "reports/quick/quick@manual-20261125T100500Z")
        let finished = try #require(run["finished"] as? [[String: Any]])
        #expect(finished.count == 1 && finished[0]["status"] as? String == "completed", "\(finished)")

        try FileManager.default.removeItem(at: root.appendingPathComponent("reports/index.html"))
        let report = try object(try retrain(["report", "--format", "json", "--now", "2026-11-25T10:06:00Z"], in: root))
        #expect(report["folder"] as? String == "reports" && report["dashboard"] as? String == "reports/index.html")
        #expect((report["written"] as? [String])?.contains("index.html") == true && report["up_to_date"] as? Bool == false)
        let again = try object(try retrain(["report", "--format", "json", "--now", "2026-11-25T10:06:00Z"], in: root))
        #expect(again["up_to_date"] as? Bool == true && (again["written"] as? [String]) == [])

        let new = try object(try retrain(["new", "fresh", "--model", "attrition", "--start", "2026-12-01", "--format", "json"], in: root))
        #expect(new["id"] as? String == "fresh" && new["path"] as? String == "schedules/fresh.yaml")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("schedules/fresh.yaml").path))
    }

    @Test func trainSaysTheModelFileAndItsMetricsAsJSON() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-train-json-\(UUID().uuidString)").path
        let trained = try object(
            try retrain([
                "train", "--model", "attrition", "--data", "examples/data/attrition.csv", "--target", "left_company", "--param", "epochs=2",
                "--output", output, "--quiet", "--format", "json",
            ]))
        #expect(trained["model"] as? String == "attrition" && trained["model_file"] as? String == output + "/model.json")
        let metrics = try #require(trained["metrics"] as? [String: Double])
        #expect(Set(metrics.keys) == ["auc", "accuracy", "precision", "recall", "f1", "log_loss"] && metrics["auc"]! > 0.5)
    }

    /// --log-format json: every stderr line an object with stable keys, first time, level, event, message.
    @Test func reconcileLogsOneJSONObjectPerEvent() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule(), "schedules/broken.yaml": "model: [\n"])
        let run = try retrain(["reconcile", "--wait", "--log-format", "json", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        var events: [String] = []
        for line in lines {
            #expect(line.hasPrefix("{\"time\":\"2026-11-25T10:0"), "\(line)")
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["level"] is String && object["message"] is String)
            events.append(object["event"] as? String ?? "?")
        }
        #expect(events.contains("diagnostic") && events.contains("pass") && events.contains("waiting"), "\(events)")
        // A warning says its level in its key, and its message carries no "warning: " of the text log.
        let warning = try #require(lines.first { $0.contains("not in a git work tree") }, "\(run.stderr)")
        #expect(warning.contains("\"level\":\"warning\",\"event\":\"log\",\"message\":\"schedules is not in a git work tree"), "\(warning)")
        let diagnostic = try #require(lines.first { $0.contains("\"event\":\"diagnostic\"") })
        #expect(diagnostic.contains("\"level\":\"error\"") && diagnostic.contains("\"file\":\"schedules/broken.yaml\",\"line\":2,\"column\":1"))
        // What stops the command (here a damaged state file) is a JSON line too, not text.
        try "{\"version\": 2, \"schedules\": [".write(to: root.appendingPathComponent(".retrain/state.json"), atomically: false, encoding: .utf8)
        let stopped = try retrain(["reconcile", "--log-format", "json", "--now", "2026-11-25T10:06:00Z"], in: root)
        let last = try #require(stopped.stderr.split(separator: "\n").last.map(String.init))
        let object = try #require(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], "\(stopped.stderr)")
        #expect(stopped.status == 1 && object["level"] as? String == "error" && object["event"] as? String == "error")
        #expect((object["message"] as? String)?.contains("state.json") == true, "\(last)")
    }
}
