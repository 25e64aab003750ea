import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// `retrain init`'s files: what it writes validates, it never overwrites, and `examples/ci/` is
/// what it writes for CI.
@Suite struct RepositoryInitTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-init-\(UUID().uuidString)").path

    func text(_ path: String) -> String { (try? String(contentsOfFile: root + "/" + path, encoding: .utf8)) ?? "" }

    @Test func theCIExamplesAreWhatInitWrites() throws {
        let ref = "v" + RetrainVersion.current
        let github = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/ci/github-actions.yml"), encoding: .utf8)
        let gitlab = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/ci/gitlab-ci.yml"), encoding: .utf8)
        #expect(github == CITemplates.github(source: nil, ref: ref), "regenerate examples/ci with `retrain init --ci github`")
        #expect(gitlab == CITemplates.gitlab(source: nil, ref: ref), "regenerate examples/ci with `retrain init --ci gitlab`")
    }

    @Test func aSourceAndRefAreWrittenQuotedWhereYAMLWouldReadThemOtherwise() {
        let workflow = CITemplates.github(source: "https://git.example.com/ml/retrain.git", ref: "1.0")
        #expect(workflow.contains("  RETRAIN_GIT: https://git.example.com/ml/retrain.git\n"))
        #expect(workflow.contains("  RETRAIN_REF: \"1.0\" "))
    }

    @Test func itWritesWhatIsMissingAndNeverOverwrites() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "# mine\nmodels/\n".write(toFile: root + "/retrain.yaml", atomically: false, encoding: .utf8)
        try "node_modules/\nmodels/".write(toFile: root + "/.gitignore", atomically: false, encoding: .utf8)
        let job = RepositoryInit(ci: .gitlab, source: nil, ref: "v9", now: "2026-12-06T10:00:00Z")
        let report = try job.run(root: root, inGit: true)
        #expect(
            report.steps.map { "\($0.action.rawValue) \($0.path)" } == [
                "created schedules/example.yaml", "created schedules/schedule.schema.json", "kept retrain.yaml",
                "created .gitlab/retrain.gitlab-ci.yml", "created .gitlab-ci.yml", "appended .gitignore",
            ])
        #expect(text("retrain.yaml") == "# mine\nmodels/\n")
        // The lines it lacked, after the user's own (which end without a newline).
        #expect(
            text(".gitignore")
                == "node_modules/\nmodels/\n\n# written by retrain: its state, reports and models\n/.retrain/\n/reports/\n/.retrain-tool/\n")
        #expect(report.next.contains { $0.contains("RETRAIN_GIT_URL") })
        // The example starts tomorrow and waits for its data; it validates cleanly.
        let example = text("schedules/example.yaml")
        #expect(example.hasPrefix("# yaml-language-server: $schema=schedule.schema.json\n") && example.contains("start: 2026-12-07 02:00"))
        let loaded = ScheduleLoader.decode(bytes: Array(example.utf8), path: "schedules/example.yaml", id: "example", context: ValidationContext())
        #expect(loaded.diagnostics.isEmpty && loaded.spec?.enabled == false)
        // Again: nothing changes.
        let again = try job.run(root: root, inGit: true)
        #expect(again.steps.allSatisfy { $0.action == .kept || $0.action == .unchanged })
    }

    @Test func theSettingsItWritesValidate() throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try RepositoryInit.settings.write(toFile: root + "/retrain.yaml", atomically: false, encoding: .utf8)
        let (config, diagnostics) = ScheduleLoader.loadConfig(path: root + "/retrain.yaml")
        #expect(diagnostics.isEmpty && config?.maxParallel == 2 && config?.state == ".retrain/state.json")
    }
}
