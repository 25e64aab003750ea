import Foundation
import RetrainCore
import RetrainTestSupport
import Testing

/// A version-1 state, as the last build that wrote one left it, moved to version 2 by the first
/// command that writes (Tests/Fixtures/state-v1/README.md says how the fixture was made).
@Suite(.serialized) struct StateMigrationTests {
    /// A scratch copy of the fixture repository.
    func fixture() throws -> URL {
        let repo = try scratchRepository()
        let source = repositoryRoot.appendingPathComponent("Tests/Fixtures/state-v1")
        try FileManager.default.removeItem(at: repo.appendingPathComponent("schedules"))
        for item in ["retrain.yaml", "schedules", ".retrain"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: repo.appendingPathComponent(item))
        }
        return repo
    }

    /// The runs a version-1 file holds, by schedule, oldest first, as JSON objects.
    func versionOneRuns(_ bytes: Data) throws -> [String: [[String: Any]]] {
        let state = try #require(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let schedules = try #require(state["schedules"] as? [String: [String: Any]])
        return schedules.mapValues { ($0["history"] as? [[String: Any]]) ?? [] }
    }

    /// `history ID --format json`: the run ids, newest first.
    func historyIDs(_ id: String, in repo: URL) throws -> [String] {
        let run = try retrain(["history", id, "--format", "json"], in: repo)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return try #require(object["runs"] as? [[String: Any]]).compactMap { $0["id"] as? String }
    }

    @Test func aRealVersionOneStateIsMigratedByTheFirstPassThatWritesAndLosesNoRun() throws {
        let repo = try fixture()
        let statePath = repo.appendingPathComponent(".retrain/state.json")
        let original = try Data(contentsOf: statePath)
        let old = try versionOneRuns(original)
        #expect(old["flaky"]?.count == 8 && old["gone"]?.count == 8 && old["weekly"]?.count == 2)

        // Reading commands read it in place and change nothing.
        for id in ["flaky", "gone", "weekly"] {
            #expect(try historyIDs(id, in: repo) == old[id]!.compactMap { $0["id"] as? String }.reversed())
        }
        let list = try retrain(["list", "--now", "2026-11-16T01:05:00Z"], in: repo)
        let rows = list.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("flaky flaky daily running failed 2026-11-09T03:07:00Z 2026-11-16T02:00:00Z"), "\(list.stdout)")
        #expect(rows.contains("gone - - orphaned completed 2026-11-09T03:05:00Z -"))
        _ = try retrain(["plan", "--now", "2026-11-16T01:05:00Z"], in: repo)
        #expect(try Data(contentsOf: statePath) == original)

        // The first pass migrates, then does its work: weekly's slot is due.
        let pass = try retrain(["reconcile", "--wait", "--now", "2026-11-16T01:05:00Z"], in: repo)
        // flaky failed again (exit 1), and its mailer is down: reported, never a crash (a mailer that
        // exits without reading its input once killed the pass with SIGPIPE).
        #expect(pass.status == 1, "\(pass.stderr)")
        #expect(pass.stderr.contains("could not email the failed notice of flaky: /bin/false exited with status 1"))
        let actions = pass.stdout.split(separator: "\n").map { $0.split(separator: " ").prefix(4).joined(separator: " ") }
        #expect(actions.contains("weekly run due weekly@20261116T010000Z"), "\(pass.stdout)\(pass.stderr)")
        let migrated = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: statePath)) as? [String: Any])
        #expect(migrated["version"] as? Int == 2)
        #expect(try Data(contentsOf: repo.appendingPathComponent(".retrain/state.json.v1")) == original)
        let text = try String(contentsOf: statePath, encoding: .utf8)
        #expect(!text.contains("\"history\"") && !text.contains("\"subject\""))

        // Every old run is there once, in order, after it the new ones.
        for id in ["flaky", "gone", "weekly"] {
            let ids = try historyIDs(id, in: repo).reversed().map { $0 }
            let before = old[id]!.compactMap { $0["id"] as? String }
            #expect(Array(ids.prefix(before.count)) == before, "\(id)")
            #expect(Set(ids).count == ids.count, "\(id): \(ids)")
        }
        #expect(try historyIDs("weekly", in: repo).first == "weekly@20261116T010000Z")
        // The old runs' fields came along as they were.
        let ledger = try String(contentsOf: repo.appendingPathComponent(".retrain/history/flaky.jsonl"), encoding: .utf8)
        let first = try #require(JSONSerialization.jsonObject(with: Data(ledger.split(separator: "\n")[0].utf8)) as? [String: Any])
        #expect(first["reason"] as? String == old["flaky"]![0]["reason"] as? String && first["attempt"] as? Int == 2)

        // The eight queued notices are still queued (the mailer is still down), in the outbox.
        let show = try retrain(["show", "flaky", "--now", "2026-11-16T01:06:00Z"], in: repo)
        let waiting = show.stdout.split(separator: "\n").filter { $0.contains("to notify  failed") }
        #expect(waiting.count >= 8, "\(show.stdout)")
        let outbox = try FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent(".retrain/outbox").path)
        #expect(outbox.count == waiting.count && outbox.allSatisfy { $0.hasPrefix("flaky@") && $0.hasSuffix(".failed.json") })

        // The champion and the gates' memory came along: weekly's new run was judged against it.
        let result = try #require(
            JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: repo.appendingPathComponent(
                        "reports/weekly/weekly@20261116T010000Z/result.json"))) as? [String: Any])
        #expect(result["champion_before"] as? String == "weekly@20261109T010000Z" && result["status"] as? String == "completed")
    }

    @Test func theMigratingPassRebuildsAVersionOneDashboardThoughNothingIsDue() throws {
        let repo = try fixture()
        // The fixture with flaky's last run finished, so a pass at 03:10 has nothing to finish or
        // start, and the reports a version-1 retrain left: its dashboard, no overview.json, no
        // schedule pages.
        let statePath = repo.appendingPathComponent(".retrain/state.json")
        var state = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: statePath)) as? [String: Any])
        var schedules = try #require(state["schedules"] as? [String: [String: Any]])
        schedules["flaky"]?["active_run"] = nil
        state["schedules"] = schedules
        try JSONSerialization.data(withJSONObject: state, options: [.sortedKeys]).write(to: statePath)
        let reports = repo.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        let old = "<!doctype html><title>retrain</title><p>version 1's dashboard</p>\n"
        try old.write(to: reports.appendingPathComponent("index.html"), atomically: false, encoding: .utf8)

        let pass = try retrain(["reconcile", "--now", "2026-11-10T03:10:00Z"], in: repo)
        #expect(pass.status == 0, "\(pass.stderr)")
        #expect(pass.stdout.contains("nothing to do"), "\(pass.stdout)")
        #expect(try String(contentsOf: statePath, encoding: .utf8).hasSuffix("\"version\":2}\n"))
        // This version's reports, with the runs the old state held.
        #expect(FileManager.default.fileExists(atPath: reports.appendingPathComponent("overview.json").path))
        let overview = try String(contentsOf: reports.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(overview != old && overview.contains("[\"weekly\","))
        let page = try String(contentsOf: reports.appendingPathComponent("weekly/index.html"), encoding: .utf8)
        #expect(page.contains("@20261102T010000Z") && page.contains("@20261109T010000Z"))

        // The next pass with nothing to do leaves them be.
        let before = try Data(contentsOf: reports.appendingPathComponent("overview.json"))
        let again = try retrain(["reconcile", "--now", "2026-11-10T03:15:00Z"], in: repo)
        #expect(again.status == 0 && again.stdout.contains("nothing to do"), "\(again.stderr)")
        #expect(try Data(contentsOf: reports.appendingPathComponent("overview.json")) == before)
    }

    @Test func aMigrationThatDiedPartWayIsDoneAgainAndFinishes() throws {
        let repo = try fixture()
        let old = try versionOneRuns(Data(contentsOf: repo.appendingPathComponent(".retrain/state.json")))
        // As a migration killed while writing the ledgers leaves it: one ledger whole, one with its
        // first three runs and a torn line, the rest not written; the state still version 1.
        let history = repo.appendingPathComponent(".retrain/history")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        func line(_ run: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: run, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        try old["gone"]!.map(line).joined().write(to: history.appendingPathComponent("gone.jsonl"), atomically: false, encoding: .utf8)
        let partial = try old["flaky"]!.prefix(3).map(line).joined() + String(try line(old["flaky"]![3]).prefix(40))
        try partial.write(to: history.appendingPathComponent("flaky.jsonl"), atomically: false, encoding: .utf8)

        let pass = try retrain(["reconcile", "--now", "2026-11-10T03:30:00Z"], in: repo)
        #expect(pass.status == 1 || pass.status == 0, "\(pass.stderr)")
        for id in ["flaky", "gone", "weekly"] {
            let ids = try historyIDs(id, in: repo).reversed().map { $0 }
            #expect(Array(ids.prefix(old[id]!.count)) == old[id]!.compactMap { $0["id"] as? String }, "\(id): \(ids)")
            #expect(Set(ids).count == ids.count)
            let lines = try String(contentsOf: history.appendingPathComponent("\(id).jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == ids.count, "\(id): a line twice or a torn line left")
        }
    }

    @Test func killedAtAnyPointTheMigrationLeavesOneStateOrTheOtherAndLosesNothing() throws {
        // 1,000 schedules of 50 runs each (5 MB): long enough to be killed in the middle.
        let repo = try scratchRepository()
        let schedules = 1_000
        let runs = 50
        var text = "{\"version\": 1, \"schedules\": {"
        for s in 0..<schedules {
            if s > 0 { text += "," }
            text +=
                "\"s\(s)\": {\"spec_hash\": \"x\", \"timing_hash\": \"y\", \"anchor\": \"2026-01-01T00:00:00Z\", \"consecutive_failures\": 0, \"orphaned\": false, \"history\": ["
            for r in 0..<runs {
                let slot = Instant(seconds: 1_767_225_600 + Int64(r) * 604_800).description
                text +=
                    (r > 0 ? "," : "")
                    + "{\"attempt\": 1, \"finished_at\": \"\(slot)\", \"id\": \"s\(s)@\(r)\", \"metrics\": {\"auc\": 0.\(r)1}, \"slot\": \"\(slot)\", \"status\": \"completed\"}"
            }
            text += "]}"
        }
        text += "}}"
        let statePath = repo.appendingPathComponent(".retrain/state.json")
        try FileManager.default.createDirectory(at: statePath.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: statePath, atomically: false, encoding: .utf8)
        let binary = ProcessInfo.processInfo.environment["RETRAIN_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/retrain").path
        var killed = 0
        for delay in [15, 40, 70, 110, 160, 220, 300] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["reconcile", "--now", "2026-12-01T00:00:00Z"]
            process.currentDirectoryURL = repo
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay * 1000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            // Whatever the moment, the state file is whole: version 1 or version 2.
            let state = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: statePath)) as? [String: Any])
            #expect([1, 2].contains(state["version"] as? Int))
        }
        #expect(killed > 0, "no run was killed: the machine is faster than the delays")
        let last = try retrain(["reconcile", "--now", "2026-12-01T00:00:00Z"], in: repo)
        #expect(last.status == 0, "\(last.stderr)")
        let state = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: statePath)) as? [String: Any])
        #expect(state["version"] as? Int == 2)
        for s in [0, 1, 499, 998, 999] {
            let lines = try String(contentsOf: repo.appendingPathComponent(".retrain/history/s\(s).jsonl"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == runs && Set(lines).count == runs, "s\(s)")
        }
        let ledgers = try FileManager.default.contentsOfDirectory(atPath: repo.appendingPathComponent(".retrain/history").path)
        #expect(ledgers.filter { $0.hasSuffix(".jsonl") }.count == schedules)
    }
}
