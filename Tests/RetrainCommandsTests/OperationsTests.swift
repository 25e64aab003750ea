import Foundation
import RetrainTestSupport
import Testing

/// The operators' files in examples/: the systemd units pass `systemd-analyze verify` and rate under
/// 4.0 in `systemd-analyze security`; the cron line logs a failed pull and still reconciles.
@Suite struct OperationsTests {
    let support = ReconcileTests()
    let analyze = "/usr/bin/systemd-analyze"
    let binary = ProcessInfo.processInfo.environment["RETRAIN_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/retrain").path

    func shell(_ command: String, in folder: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The units with the checkout and binary of a scratch repository, in a folder of their own.
    func units() throws -> URL {
        let folder = try scratchRepository().appendingPathComponent("units")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["retrain-reconcile.service", "retrain-reconcile.timer", "retrain-watch.service"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/systemd/\(name)"), encoding: .utf8)
            try text.replacingOccurrences(of: "/usr/local/bin/retrain", with: binary).replacingOccurrences(of: "/srv/ml-repo", with: folder.path)
                .write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        return folder
    }

    @Test func theSystemdUnitsVerifyAndAreHardened() throws {
        guard FileManager.default.isExecutableFile(atPath: analyze) else {
            Issue.record("\(analyze) is missing (Debian's systemd package has it)")
            return
        }
        let folder = try units()
        let verify = try shell("\(analyze) verify retrain-reconcile.service retrain-reconcile.timer retrain-watch.service", in: folder)
        #expect(verify.status == 0 && verify.output.isEmpty, "\(verify.output)")
        for name in ["retrain-reconcile.service", "retrain-watch.service"] {
            let security = try shell("\(analyze) security --offline=true \(name)", in: folder)
            let line = try #require(security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(security.output)")
            let level = try #require(Double(line.split(separator: ":").last!.split(separator: " ").first!))
            #expect(level < 4.0, "\(name): \(line)")
        }
    }

    @Test func theCronLineLogsAFailedPullAndStillReconciles() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule()])
        _ = try shell("git init -q && git -c user.name=t -c user.email=t@e add -A && git -c user.name=t -c user.email=t@e commit -qm s", in: root)
        let cron = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/cron/retrain.cron"), encoding: .utf8)
        let entry = try #require(cron.split(separator: "\n").first { $0.hasPrefix("*/5") })
        // The command after the five time fields and the user.
        let command = entry.split(separator: " ", omittingEmptySubsequences: true).dropFirst(6).joined(separator: " ")
        let log = root.appendingPathComponent("reconcile.log").path
        let local = command.replacingOccurrences(of: "/srv/ml-repo", with: root.path).replacingOccurrences(
            of: "/var/log/retrain/reconcile.log", with: log)
        let bin = URL(fileURLWithPath: binary).deletingLastPathComponent().path
        let run = try shell("PATH=\(bin):/usr/bin:/bin RETRAIN_NOW=2026-11-25T10:05:00Z; export RETRAIN_NOW PATH; \(local)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        // No upstream to pull from: git says why, the line says what happens, and the pass runs.
        #expect(text.contains("retrain.cron: git pull failed (above); reconciling what is checked out"), "\(text)")
        #expect(text.contains("quick     run     due"), "\(text)")
        #expect(run.output.isEmpty, "cron would mail: \(run.output)")
    }
}
