import Foundation
import RetrainTestSupport
import Testing

/// metrics.prom as a monitoring team reads it: written by every pass, even one that does nothing,
/// parsed by Prometheus's own Python client (Debian's python3-prometheus-client).
@Suite struct MetricsTests {
    let support = ReconcileTests()

    /// The families and samples Prometheus's parser reads from `text`, as `name{labels} value` lines.
    func parsed(_ text: String) throws -> [String] {
        let script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                    print(f"{family.type} {s.name}{{{labels}}} {s.value}")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the Prometheus parser refused metrics.prom: \(String(decoding: err, as: UTF8.self))")
        return String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// What the textfile collector reads from reports/: metrics.prom (the schedules) and
    /// reconcile.prom (the latest pass), each parsed on its own, no metric in both.
    func collected(_ root: URL) throws -> (schedules: [String], pass: [String]) {
        let schedules = try parsed(String(contentsOf: root.appendingPathComponent("reports/metrics.prom"), encoding: .utf8))
        let pass = try parsed(String(contentsOf: root.appendingPathComponent("reports/reconcile.prom"), encoding: .utf8))
        let names = { (lines: [String]) in Set(lines.map { $0.split(separator: " ")[1].prefix { $0 != "{" } }) }
        #expect(names(schedules).isDisjoint(with: names(pass)), "a metric in both files: \(names(schedules).intersection(names(pass)))")
        return (schedules, pass)
    }

    @Test func everyPassWritesWhenItEndedHowLongItTookAndTheCounts() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule()])
        #expect(try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root).status == 0)
        let first = try collected(root)
        #expect(first.pass.contains("counter retrain_runs_total{schedule=quick,status=completed} 1.0"), "\(first)")
        #expect(first.pass.contains("gauge retrain_schedules{status=completed} 1.0"))
        #expect(first.schedules.contains("gauge retrain_schedule_info{model=quick,schedule=quick,status=completed} 1.0"))
        let duration = try #require(first.pass.first { $0.hasPrefix("gauge retrain_reconcile_duration_seconds{} ") })
        #expect((Double(duration.split(separator: " ").last!) ?? 0) > 0)
        // A pass with nothing to do still writes it (the dead-man switch moves on), and leaves
        // metrics.prom alone.
        let families = try Data(contentsOf: root.appendingPathComponent("reports/metrics.prom"))
        let idle = try retrain(["reconcile", "--now", "2026-11-25T11:00:00Z"], in: root)
        #expect(idle.status == 0 && idle.stdout.contains("nothing to do"))
        let second = try collected(root)
        #expect(second.pass.contains("gauge retrain_reconcile_last_pass_timestamp_seconds{} 1795604400.0"), "\(second)")
        #expect(try Data(contentsOf: root.appendingPathComponent("reports/metrics.prom")) == families)
        // Rebuilding the reports leaves the pass's file as the pass wrote it.
        #expect(try retrain(["report", "--all", "--now", "2026-11-25T11:01:00Z"], in: root).status == 0)
        let third = try collected(root)
        #expect(third.pass.contains("gauge retrain_reconcile_last_pass_timestamp_seconds{} 1795604400.0"))
        #expect(third.pass.contains("counter retrain_runs_total{schedule=quick,status=completed} 1.0"))
    }

    /// An older retrain kept the pass's part at the end of metrics.prom: the first pass of this one
    /// cuts it off, so the collector does not read a metric twice.
    @Test func aMetricsFileWithAnOlderVersionsPassPartLosesIt() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule()])
        #expect(try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root).status == 0)
        let metrics = root.appendingPathComponent("reports/metrics.prom")
        let reconcile = root.appendingPathComponent("reports/reconcile.prom")
        let families = try String(contentsOf: metrics, encoding: .utf8)
        try (families + String(contentsOf: reconcile, encoding: .utf8)).write(to: metrics, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(at: reconcile)
        #expect(try retrain(["reconcile", "--now", "2026-11-25T11:00:00Z"], in: root).status == 0)
        #expect(try String(contentsOf: metrics, encoding: .utf8) == families)
        _ = try collected(root)
    }
}
