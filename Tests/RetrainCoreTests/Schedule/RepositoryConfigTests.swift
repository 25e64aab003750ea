import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct RepositoryConfigTests {
    func decode(_ source: String) -> (RepositoryConfig?, String) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-\(UUID().uuidString).yaml")
        try? source.write(to: url, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let (config, diagnostics) = ScheduleLoader.loadConfig(path: url.path)
        return (config, diagnostics.map { DiagnosticRenderer().render($0) }.joined().replacingOccurrences(of: url.path, with: "retrain.yaml"))
    }

    @Test func readsEverySetting() throws {
        let (config, text) = decode(
            """
            version: 1
            schedules: schedules
            state: .retrain/state.json
            reports: public/reports
            models: models
            email: {sendmail: [msmtp, -t], from: retrain@example.com}
            defaults:
              executor: slurm
              slurm: {partition: cpu}
              notify: {email: ["${ALERTS}"], on: [failed]}
            allowed_commands:
              - [python3, examples/trainers/sklearn_trainer.py]
            max_parallel: 4

            """)
        #expect(text == "")
        let c = try #require(config)
        #expect(c.reports == "public/reports" && c.sendmail == ["msmtp", "-t"] && c.defaultExecutor == .slurm)
        #expect(c.allowedCommands == [["python3", "examples/trainers/sklearn_trainer.py"]] && c.maxParallel == 4)
    }

    @Test func isValidatedAsStrictly() {
        let (config, text) = decode("reprots: r\nstate: ../../etc/state.json\nmax_parallel: 0\n")
        #expect(config == nil)
        #expect(text.contains("retrain.yaml:1:1: error: unknown key 'reprots' in retrain.yaml; did you mean 'reports'?"))
        #expect(text.contains("retrain.yaml:2:8: error: 'state' must be a relative path inside the repository or an absolute path"))
        #expect(text.contains("retrain.yaml:3:15: error: 'max_parallel' is 0, outside 1...1024"))
    }

    @Test func missingFileMeansDefaults() {
        let (config, diagnostics) = ScheduleLoader.loadConfig(path: "/nonexistent/retrain.yaml")
        #expect(config?.schedules == "schedules" && diagnostics.isEmpty)
    }
}
