import Foundation
import RetrainTestSupport
import Testing

/// `reconcile` and `run` for real: the built binary, detached supervisors, shell trainers, a
/// scratch repository per test.
@Suite struct ReconcileTests {
    /// A trainer that logs, records each start in `starts.txt` and writes one metric.
    static let quickTrainer =
        #"[sh, -c, 'echo training $RETRAIN_RUN_ID; echo $RETRAIN_RUN_ID >> starts.txt; echo "{\"auc\": 0.9, \"rows\": 2}" > "$RETRAIN_METRICS"']"#

    static func schedule(command: String = quickTrainer, extra: String = "") -> String {
        """
        model: quick
        start: 2026-11-25 10:00
        timezone: UTC
        repeat: daily
        data: data/d.csv
        target: y
        params: {epochs: 3, hidden_layers: [8, 4]}
        command: \(command)
        \(extra)
        """
    }

    /// A scratch repository with `files` (relative paths) and a small data file.
    func repository(_ files: [String: String]) throws -> URL {
        let root = try scratchRepository()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "a,y\n1,0\n2,1\n".write(to: root.appendingPathComponent("data/d.csv"), atomically: false, encoding: .utf8)
        for (path, text) in files { try text.write(to: root.appendingPathComponent(path), atomically: false, encoding: .utf8) }
        return root
    }

    func json(_ root: URL, _ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func entry(_ root: URL, _ id: String) throws -> [String: Any] {
        let state = try json(root, ".retrain/state.json")
        return try #require((state["schedules"] as? [String: Any])?[id] as? [String: Any])
    }

    /// The schedule's ledger, one object per finished run, oldest first.
    func history(_ root: URL, _ id: String) throws -> [[String: Any]] {
        try lines(root, ".retrain/history/\(id).jsonl").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func lines(_ root: URL, _ path: String) -> [String] {
        ((try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")  // a zombie is dead, just not yet collected by init
    }

    @Test func aPassStartsTheDueRunAndWaitFinishesItWithItsResult() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule()])
        let first = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("quick     run     due           quick@20261125T100000Z  started (pid "))
        #expect(first.stdout.contains("quick     finish  run_ended  quick@20261125T100000Z  completed: auc 0.9, rows 2"))

        let result = try json(root, "reports/quick/quick@20261125T100000Z/result.json")
        #expect(result["status"] as? String == "completed")
        #expect(result["slot"] as? String == "2026-11-25T10:00:00Z")
        #expect(result["trigger"] as? String == "due")
        #expect(result["attempt"] as? Int == 1)
        #expect(result["params"] as? NSDictionary == ["epochs": 3, "hidden_layers": [8, 4]])
        #expect(result["metrics"] as? NSDictionary == ["auc": 0.9, "rows": 2])
        #expect(result["model_folder"] as? String == "models/quick/quick@20261125T100000Z")
        let data = try #require(result["data"] as? [String: Any])
        #expect(data["sha256"] as? String == "2e3781e3c32f67fc45f7b528a7c0d9a995a0f1956970d89c473fd199e7ce85f1")
        #expect(data["bytes"] as? Int == 12 && data["rows"] as? Int == 2)
        let provenance = try #require(result["provenance"] as? [String: Any])
        #expect(provenance["schedule_file"] as? String == "schedules/quick.yaml")
        #expect((provenance["spec_hash"] as? String)?.count == 64)
        #expect(provenance["retrain_version"] as? String != nil)
        #expect(lines(root, "reports/quick/quick@20261125T100000Z/log.txt").contains("training quick@20261125T100000Z"))

        let state = try entry(root, "quick")
        #expect(state["active_run"] == nil)
        #expect(state["last_slot"] as? String == "2026-11-25T10:00:00Z")
        #expect(try history(root, "quick").map { $0["status"] as? String } == ["completed"])
        #expect((state["last_run"] as? [String: Any])?["status"] as? String == "completed")
        #expect((state["champion"] as? [String: Any])?["id"] as? String == "quick@20261125T100000Z")
        // The ledger keeps what the schedule's page shows: params, the measured duration (with its
        // fractions: a trivial trainer takes milliseconds, not "0 s"), the data read.
        let record = try #require(try history(root, "quick").first)
        #expect(record["params"] as? NSDictionary == ["epochs": 3, "hidden_layers": [8, 4]])
        let seconds = try #require(record["duration_seconds"] as? Double)
        #expect(seconds > 0 && seconds < 30 && seconds != seconds.rounded() && result["duration_seconds"] as? Double == seconds)
        #expect((record["data"] as? [String: Any])?["rows"] as? Int == 2)
        let page = try String(contentsOf: root.appendingPathComponent("reports/quick/index.html"), encoding: .utf8)
        #expect(
            page.contains(
                "<a href=\"quick%4020261125T100000Z/log.txt\">log</a> · <a href=\"quick%4020261125T100000Z/result.json\">result</a> · <a href=\"../../models/quick/quick%4020261125T100000Z/\">model</a>"
            ))
        #expect(page.contains("epochs=3 hidden_layers=[8,4]") && page.contains("<code title=\"sha256 2e3781e3c32f"))

        // The same instant again: nothing to start, nothing recorded twice.
        let again = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(again.stdout == "reconcile at 2026-11-25T10:05:00Z: nothing to do\n")
        #expect(lines(root, "starts.txt") == ["quick@20261125T100000Z"])
    }

    @Test func planSeesAChangedSpecAndAnUnchangedOneAsAReconcileWould() throws {
        // plan keeps only what planning reads of each spec, with the spec hash taken where it is
        // compared: a change of params is a changed spec, a change of start a re-timed one.
        var files: [String: String] = [:]
        for i in 0..<40 { files["schedules/s\(i).yaml"] = Self.schedule() }
        let root = try repository(files)
        let now = ["--now", "2026-11-25T09:00:00Z"]
        #expect(try retrain(["reconcile"] + now, in: root).status == 0)
        #expect(try retrain(["plan"] + now, in: root).stdout.contains("adopt") == false)
        try Self.schedule().replacingOccurrences(of: "epochs: 3", with: "epochs: 4").write(
            to: root.appendingPathComponent("schedules/s7.yaml"), atomically: false, encoding: .utf8)
        try Self.schedule().replacingOccurrences(of: "10:00", with: "11:00").write(
            to: root.appendingPathComponent("schedules/s9.yaml"), atomically: false, encoding: .utf8)
        let plan = try retrain(["plan"] + now, in: root).stdout
        let adopted = plan.split(separator: "\n").filter { $0.contains(" adopt ") }.map {
            $0.split(separator: " ", omittingEmptySubsequences: true).prefix(3).joined(separator: " ")
        }
        #expect(adopted == ["s7 adopt spec_changed", "s9 adopt timing_changed"])
    }

    @Test func racingReconcilersNeverStartASlotTwice() throws {
        let ids = ["a", "b", "c"]
        let root = try repository(Dictionary(uniqueKeysWithValues: ids.map { ("schedules/\($0).yaml", Self.schedule()) }))
        let binary = ProcessInfo.processInfo.environment["RETRAIN_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/retrain").path
        for day in 0..<20 {
            let now = String(format: "2026-12-%02dT10:05:00Z", day + 1)
            let racers = (0..<2).map { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["reconcile", "--max-parallel", "10", "--now", now]
                process.currentDirectoryURL = root
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for racer in racers { try racer.run() }
            for racer in racers { racer.waitUntilExit() }
            // Let this round's runs end, so the next round's slot is not skipped as still running.
            let settle = try retrain(
                ["reconcile", "--wait", "--max-parallel", "10", "--now", String(format: "2026-12-%02dT10:06:00Z", day + 1)], in: root)
            #expect(settle.status == 0, "\(settle.stderr)")
        }
        let starts = lines(root, "starts.txt")
        #expect(starts.count == 60)
        #expect(Set(starts).count == 60)
        for id in ids {
            let history = try history(root, id)
            #expect(history.count == 20 && Set(history.compactMap { $0["id"] as? String }).count == 20)
            #expect(history.allSatisfy { $0["status"] as? String == "completed" })
        }
    }

    @Test func aReconcilerKilledAfterStartingARunLosesNothing() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule()])
        let killed = try retrain(["reconcile", "--crash-after-start", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(killed.status == SIGKILL)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".retrain/state.json").path))
        let next = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("quick@20261125T100000Z  already started by an earlier pass; recorded"))
        #expect(lines(root, "starts.txt") == ["quick@20261125T100000Z"])
        let history = try history(root, "quick")
        #expect(history.map { $0["id"] as? String } == ["quick@20261125T100000Z"])
        #expect(history.first?["status"] as? String == "completed")
    }

    @Test func aHangingTrainerIsTimedOutWithItsWholeGroup() throws {
        let hang = #"[sh, -c, 'sleep 300 & echo $! > child.pid; sleep 300']"#
        let root = try repository(["schedules/quick.yaml": Self.schedule(command: hang, extra: "timeout: 1s")])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1)
        #expect(run.stdout.contains("failed (timeout after 1s)"))
        let child = try #require(Int32(lines(root, "child.pid").first ?? ""))
        #expect(!isAlive(child))
        let history = try history(root, "quick")
        #expect(history.first?["reason"] as? String == "timeout after 1s")
    }

    @Test func withoutASchedulesFolderNothingIsLockedOrWritten() throws {
        let root = try scratchRepository()
        try FileManager.default.removeItem(at: root.appendingPathComponent("schedules"))
        for command in [["reconcile"], ["run", "quick"], ["report"]] {
            let run = try retrain(command + ["--now", "2026-11-25T10:05:00Z"], in: root)
            #expect(run.status == 1)
            #expect(run.stderr.contains("schedules:1:1: error: no such file or folder: schedules"))
            #expect(run.stderr.contains("retrain \(command[0]): no schedules folder to act on (above); nothing was done"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [])
    }

    @Test func aSchedulesFolderLinkedOutOfTheRepositoryIsRefused() throws {
        let elsewhere = try scratchRepository()
        try Self.schedule().write(to: elsewhere.appendingPathComponent("schedules/quick.yaml"), atomically: false, encoding: .utf8)
        let root = try scratchRepository()
        try FileManager.default.removeItem(at: root.appendingPathComponent("schedules"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("schedules"), withDestinationURL: elsewhere.appendingPathComponent("schedules"))
        let resolved = elsewhere.appendingPathComponent("schedules").resolvingSymlinksInPath().path
        let validate = try retrain(["validate"], in: root)
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("schedules:1:1: error: the schedules folder resolves to \(resolved), outside the repository"))
        let reconcile = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(reconcile.status == 1 && reconcile.stderr.contains("nothing was done"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".retrain").path))
        // A folder named on the command line is the caller's choice.
        #expect(try retrain(["validate", "--schedules", elsewhere.appendingPathComponent("schedules").path], in: root).status == 0)
    }

    @Test func theBuiltInTrainerReadsNoDataLinkedOutOfTheRepository() throws {
        let outside = try scratchRepository().appendingPathComponent("secret.csv")
        try "password_hash,y\nabc,1\n".write(to: outside, atomically: false, encoding: .utf8)
        let builtin = """
            model: risk
            start: 2026-11-25 10:00
            repeat: daily
            data: data/linked.csv
            target: y
            """
        let root = try repository(["schedules/risk.yaml": builtin])
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("data/linked.csv"), withDestinationURL: outside)
        // validate (what a pull request's CI runs) names it; a run started anyway checks again.
        let checked = try retrain(["validate"], in: root)
        #expect(checked.status == 1)
        #expect(
            checked.stderr.contains(
                "schedules/risk.yaml:4:7: error: 'data' resolves to \(outside.resolvingSymlinksInPath().path), outside the repository (a link leads there)"
            ),
            "\(checked.stderr)")
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1)
        // The pass checks the data before it starts the run: it never starts.
        let result = try json(root, "reports/risk/risk@20261125T100000Z/result.json")
        #expect(
            (result["reason"] as? String)?.hasPrefix(
                "data: schedules/risk.yaml:4:7: 'data' resolves to \(outside.resolvingSymlinksInPath().path), outside the repository") == true,
            "\(result)")
        let log = (try? String(contentsOf: root.appendingPathComponent("reports/risk/risk@20261125T100000Z/log.txt"), encoding: .utf8)) ?? ""
        #expect(!log.contains("password_hash"))
        // An absolute path is refused when the schedule is checked.
        try builtin.replacingOccurrences(of: "data/linked.csv", with: outside.path).write(
            to: root.appendingPathComponent("schedules/risk.yaml"), atomically: false, encoding: .utf8)
        let validate = try retrain(["validate"], in: root)
        #expect(validate.status == 1 && validate.stderr.contains("the built-in trainer reads data inside the repository only"))
    }

    @Test func dataRootsLetBuiltInModelsReadAFolderOutsideTheRepository() throws {
        let warehouse = try scratchRepository().appendingPathComponent("exports")
        try FileManager.default.createDirectory(at: warehouse, withIntermediateDirectories: true)
        var rows = "a,b,y\n"
        for i in 0..<60 { rows += "\(i % 7),\(i % 3),\(["low", "medium", "high"][i % 3])\n" }
        try rows.write(to: warehouse.appendingPathComponent("risk.csv"), atomically: false, encoding: .utf8)
        let builtin = """
            model: risk
            start: 2026-11-25 10:00
            repeat: daily
            data: \(warehouse.path)/risk.csv
            target: y
            params: {epochs: 2}
            """
        let root = try repository(["schedules/risk.yaml": builtin, "retrain.yaml": "data_roots: [\(warehouse.path)]\n"])
        // Absolute, and through a link in the repository: both inside a data root.
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("data/linked.csv"), withDestinationURL: warehouse.appendingPathComponent("risk.csv"))
        let checked = try retrain(["validate"], in: root)
        #expect(checked.status == 0, "\(checked.stderr)")
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try json(root, "reports/risk/risk@20261125T100000Z/result.json")
        #expect(result["status"] as? String == "completed", "\(result)")
        // Elsewhere is still refused, naming the setting; a data root must be an absolute folder.
        try "data_roots: [\(warehouse.path)/other]\n".write(to: root.appendingPathComponent("retrain.yaml"), atomically: false, encoding: .utf8)
        let refused = try retrain(["validate"], in: root)
        #expect(
            refused.status == 1
                && refused.stderr.contains(
                    "schedules/risk.yaml:4:7: error: the built-in trainer reads data inside the repository or retrain.yaml's data_roots (\(warehouse.path)/other)"
                ),
            "\(refused.stderr)")
        try "data_roots: [exports, /a/../b]\n".write(to: root.appendingPathComponent("retrain.yaml"), atomically: false, encoding: .utf8)
        let bad = try retrain(["validate"], in: root)
        #expect(
            bad.status == 1 && bad.stderr.contains("retrain.yaml:1:14: error: data root 'exports' must be an absolute folder path")
                && bad.stderr.contains("retrain.yaml:1:23: error: data root '/a/../b' must be"), "\(bad.stderr)")
    }

    @Test func noTrainerGetsTheVariablesTheNotificationSettingsReferTo() throws {
        // Each trainer writes its environment where the test can read it (a trainer printing `env`
        // would put it in log.txt, under reports/).
        let dump = #"[sh, -c, 'env > env-$RETRAIN_SCHEDULE.txt; printf "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
        let root = try repository([
            "schedules/hooked.yaml": Self.schedule(command: dump, extra: "notify: {webhook: \"${SECRET_HOOK}\", on: [failed]}"),
            "schedules/plain.yaml": Self.schedule(command: dump),
            "retrain.yaml": "email: {from: \"${MAIL_FROM}\"}\n",
        ])
        let environment = ["SECRET_HOOK": "https://hooks.example.com/T0/secret-token", "MAIL_FROM": "ml@example.com", "AWS_REGION": "eu-west-1"]
        func seen(_ id: String) -> [String] { lines(root, "env-\(id).txt").map { String($0.prefix { $0 != "=" }) } }
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root, environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        for id in ["hooked", "plain"] {
            #expect(!seen(id).contains("SECRET_HOOK") && !seen(id).contains("MAIL_FROM"), "\(id): \(seen(id))")
            #expect(seen(id).contains("AWS_REGION") && seen(id).contains("PATH") && seen(id).contains("RETRAIN_RUN_ID"))
        }
        // A run by hand reads only its own schedule's file; the names the last reconcile found in
        // the others are kept in .retrain/hidden-environment.
        #expect(lines(root, ".retrain/hidden-environment") == ["MAIL_FROM", "SECRET_HOOK"])
        try FileManager.default.removeItem(at: root.appendingPathComponent("env-plain.txt"))
        let byHand = try retrain(["run", "plain", "--wait", "--now", "2026-11-25T12:00:00Z"], in: root, environment: environment)
        #expect(byHand.status == 0, "\(byHand.stderr)")
        #expect(!seen("plain").contains("SECRET_HOOK") && seen("plain").contains("AWS_REGION"), "\(seen("plain"))")
    }

    @Test func anExternalTrainersURIIsPassedThroughUnread() throws {
        let echo = #"[sh, -c, 'echo "$RETRAIN_DATA" > data.txt; printf "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
        let root = try repository([
            "schedules/quick.yaml": Self.schedule(command: echo).replacingOccurrences(of: "data: data/d.csv", with: "data: s3://bucket/train.csv")
        ])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(lines(root, "data.txt") == ["s3://bucket/train.csv"])
    }

    @Test func aTrainerThatPrintsTooMuchLeavesACappedLog() throws {
        // 7 MB of output: the log keeps the first 4 MB and the last 1 MB, and says what it left out.
        let noisy =
            #"[sh, -c, 'echo first line; head -c 7000000 /dev/zero | tr "\\0" x; echo; echo last line; printf "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
        let root = try repository(["schedules/quick.yaml": Self.schedule(command: noisy)])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let path = root.appendingPathComponent("reports/quick/quick@20261125T100000Z/log.txt").path
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 5 * 1_048_576 + 4096, "\(size)")
        let log = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            log.contains("first line") && log.contains("last line")
                && log.contains("bytes of output left out here; the log keeps the first 4 MB and the last 1 MB"))
    }

    @Test func aProcessATrainerDetachesEndsWithTheRun() throws {
        // `setsid` takes the process out of the trainer's group, which the group sweep then misses.
        let detach = #"[sh, -c, 'setsid sleep 300 & echo $! > daemon.pid; printf "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
        let root = try repository(["schedules/quick.yaml": Self.schedule(command: detach)])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let daemon = try #require(Int32(lines(root, "daemon.pid").first ?? ""))
        #expect(!isAlive(daemon))
        let log = try String(contentsOf: root.appendingPathComponent("reports/quick/quick@20261125T100000Z/log.txt"), encoding: .utf8)
        #expect(log.contains("== ended 1 process the trainer left running (pid \(daemon)) =="))
    }

    @Test(arguments: [
        ("true", "exit 0 but no metrics file: the trainer must write a JSON object of numbers to $RETRAIN_METRICS"),
        (#"echo not-json > \"$RETRAIN_METRICS\""#, #"the metrics file is not a JSON object of numbers (it starts: "not-json\n")"#),
        (
            #"head -c 2000000 /dev/zero > \"$RETRAIN_METRICS\""#,
            "the metrics file is 2000000 bytes, over the 1024 KB a JSON object of numbers needs; it was removed"
        ),
        (
            #"printf '{\"a\\\\nb\": 1}' > \"$RETRAIN_METRICS\""#,
            #"metric name "a\nb" is empty or holds a control character; name metrics with printable text such as auc or val_loss"#
        ),
    ])
    func aTrainerWithoutUsableMetricsFails(script: String, reason: String) throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule(command: "[sh, -c, \"\(script)\"]")])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1)
        let result = try json(root, "reports/quick/quick@20261125T100000Z/result.json")
        #expect(result["status"] as? String == "failed")
        #expect(result["reason"] as? String == reason)
        // Nothing the trainer wrote that big is left in the reports.
        let attempt = root.appendingPathComponent("reports/quick/quick@20261125T100000Z/attempt-1").path
        for name in try FileManager.default.contentsOfDirectory(atPath: attempt) {
            let size = try FileManager.default.attributesOfItem(atPath: attempt + "/" + name)[.size] as? Int ?? 0
            #expect(size < 1 << 20, "\(name) is \(size) bytes")
        }
    }

    @Test func aFailedRunIsRetriedWithADoublingDelay() throws {
        let failing = #"[sh, -c, 'echo $RETRAIN_RUN_ID >> starts.txt; exit 3']"#
        let root = try repository(["schedules/quick.yaml": Self.schedule(command: failing, extra: "retries: 2\nretry_delay: 1m")])
        let first = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(first.status == 1)
        var retry = try #require(try entry(root, "quick")["retry"] as? [String: Any])
        #expect(retry["attempt"] as? Int == 2)
        let firstEnd = try #require(
            ISO8601DateFormatter().date(from: try json(root, "reports/quick/quick@20261125T100000Z/attempt-1/outcome.json")["finished_at"] as! String)
        )
        #expect(retry["not_before"] as? String == ISO8601DateFormatter().string(from: firstEnd.addingTimeInterval(60)))

        let early = try retrain(["plan", "--now", "2026-11-25T10:05:30Z"], in: root)
        #expect(early.stdout.contains("quick     noop    retry_waiting"))
        let second = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:07:00Z"], in: root)
        #expect(second.stdout.contains("quick     run     retry_after_failure  quick@20261125T100000Z #2  started"))
        retry = try #require(try entry(root, "quick")["retry"] as? [String: Any])
        #expect(retry["attempt"] as? Int == 3)
        let secondEnd = try #require(
            ISO8601DateFormatter().date(from: try json(root, "reports/quick/quick@20261125T100000Z/attempt-2/outcome.json")["finished_at"] as! String)
        )
        #expect(retry["not_before"] as? String == ISO8601DateFormatter().string(from: secondEnd.addingTimeInterval(120)))

        let third = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:10:00Z"], in: root)
        #expect(third.stdout.contains("failed (exit 3)\n"))
        let state = try entry(root, "quick")
        #expect(state["retry"] == nil)
        #expect(state["consecutive_failures"] as? Int == 1)
        #expect(lines(root, "starts.txt").count == 3)
        let result = try json(root, "reports/quick/quick@20261125T100000Z/result.json")
        #expect((result["attempts"] as? [[String: Any]])?.map { $0["attempt"] as? Int } == [1, 2, 3])
    }

    @Test func aRunWhoseSupervisorDiedIsInterruptedAndItsTrainerStopped() throws {
        let slow = #"[sh, -c, 'sleep 300']"#
        let root = try repository(["schedules/quick.yaml": Self.schedule(command: slow)])
        _ = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        let supervisor = try #require(try entry(root, "quick")["active_run"] as? [String: Any])["pid"] as? Int
        let record = "reports/quick/quick@20261125T100000Z/attempt-1/supervisor.json"
        var trainer: Int?
        for _ in 0..<100 where trainer == nil {
            trainer = (try? json(root, record))?["trainer_pid"] as? Int
            usleep(20_000)
        }
        let trainerPID = try #require(trainer)
        kill(Int32(try #require(supervisor)), SIGKILL)
        usleep(200_000)
        let next = try retrain(["reconcile", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(next.status == 1)
        #expect(
            next.stdout.contains(
                "quick     finish  run_interrupted  quick@20261125T100000Z  failed (interrupted: its process (pid \(supervisor!)) ended without a result)"
            ))
        usleep(100_000)
        #expect(!isAlive(Int32(trainerPID)))
    }

    @Test func aBrokenScheduleFileDoesNotStopTheOthers() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule(), "schedules/broken.yaml": "model: quick\nstart: [\n"])
        let run = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains("schedules/broken.yaml:3:1: error:"))
        #expect(run.stdout.contains("quick     run     due"))
    }

    @Test(arguments: [
        ("{\"version\": 1, \"schedules\": {", "the state file is damaged"),
        ("{\"version\": 3, \"schedules\": {}}", "state version 3 is newer than this retrain supports (2); nothing was changed. Upgrade retrain"),
    ])
    func aStateFileItCannotUseIsNeverOverwritten(content: String, message: String) throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule()])
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".retrain"), withIntermediateDirectories: true)
        try content.write(to: root.appendingPathComponent(".retrain/state.json"), atomically: false, encoding: .utf8)
        let run = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains(message))
        #expect(try String(contentsOf: root.appendingPathComponent(".retrain/state.json"), encoding: .utf8) == content)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("reports").path))
    }

    @Test func aBrokenRetrainYamlStopsEverythingThatActs() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule(), "retrain.yaml": "version: 1\nstate: [oops\n"])
        for command in [["reconcile"], ["run", "quick"]] {
            let run = try retrain(command + ["--now", "2026-11-25T10:05:00Z"], in: root)
            #expect(run.status == 1)
            #expect(run.stderr.contains("retrain.yaml:"))
            #expect(run.stderr.hasSuffix("retrain \(command[0]): retrain.yaml has errors (above); nothing was done. Fix it, then run again\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".retrain").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("reports").path))
    }

    @Test func maxParallelHoldsRunsBackUntilALaterPass() throws {
        let root = try repository(["schedules/a.yaml": Self.schedule(), "schedules/b.yaml": Self.schedule(), "schedules/c.yaml": Self.schedule()])
        let run = try retrain(["reconcile", "--max-parallel", "1", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.stdout.contains("a         run     due           a@20261125T100000Z  started"))
        #expect(
            run.stdout.contains(
                "b         noop    max_parallel  b@20261125T100000Z  waits: at most 1 run at once (max_parallel); it starts on a later pass\n"))
        let later = try retrain(["reconcile", "--wait", "--max-parallel", "1", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(later.status == 0)
        #expect(Set(lines(root, "starts.txt")) == ["a@20261125T100000Z", "b@20261125T100000Z", "c@20261125T100000Z"])
    }

    @Test func dryRunChangesNothing() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule()])
        let run = try retrain(["reconcile", "--dry-run", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0)
        #expect(run.stdout.contains("quick     run     due           quick@20261125T100000Z  due 5 min ago"))
        #expect(run.stdout.hasSuffix("dry run at 2026-11-25T10:05:00Z (nothing changed): 1 run, 1 adopt\n"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".retrain").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("reports").path))
    }

    @Test func watchStopsCleanlyOnSIGTERM() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule()])
        let binary = ProcessInfo.processInfo.environment["RETRAIN_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/retrain").path
        let out = root.appendingPathComponent("watch.out")
        try Data().write(to: out)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["reconcile", "--watch", "--interval", "1s", "--now", "2026-11-25T10:05:00Z"]
        process.currentDirectoryURL = root
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(1_500_000)
        process.terminate()
        let asked = Date()
        process.waitUntilExit()
        // Under a sanitizer everything runs several times slower: `make test-sanitize` sets the slack.
        let slack = ProcessInfo.processInfo.environment["RETRAIN_TEST_SLACK"].flatMap(Double.init) ?? 1
        #expect(Date().timeIntervalSince(asked) < 1 * slack)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        let passes = lines(root, "watch.out").filter { $0.hasPrefix("reconcile at ") }
        #expect(passes.count >= 2)
        #expect(lines(root, "starts.txt").count <= 1)
    }

    @Test func runByHandWaitsAndRecordsIt() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule(extra: "enabled: false")])
        let run = try retrain(["run", "quick", "--wait", "--now", "2026-11-25T12:00:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("quick@manual-20261125T120000Z: completed: auc 0.9, rows 2\n"))
        let history = try history(root, "quick")
        #expect(history.map { $0["id"] as? String } == ["quick@manual-20261125T120000Z"])
        let unknown = try retrain(["run", "quik"], in: root)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "retrain run: no schedule 'quik' in schedules; did you mean 'quick'?\n")
    }

    @Test func aRunByHandThatGoesOnIsShownRunningWhileItRuns() throws {
        // --wait writes the reports once a run has gone on for a second; one that ends sooner is
        // shown once, when it is recorded.
        let slow = #"[sh, -c, 'sleep 3; echo "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
        let later = { (text: String) in text.replacingOccurrences(of: "start: 2026-11-25", with: "start: 2026-12-25") }  // not due
        let root = try repository(["schedules/slow.yaml": later(Self.schedule(command: slow)), "schedules/quick.yaml": later(Self.schedule())])
        #expect(try retrain(["reconcile", "--now", "2026-11-25T11:00:00Z"], in: root).status == 0)
        let binary = ProcessInfo.processInfo.environment["RETRAIN_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/retrain").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "slow", "--wait", "--now", "2026-11-25T12:00:00Z"]
        process.currentDirectoryURL = root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let page = root.appendingPathComponent("reports/index.html")
        func shown() -> String { (try? String(contentsOf: page, encoding: .utf8)) ?? "" }
        let started = Date()
        while !shown().contains("[\"slow\",\"running\"") && Date().timeIntervalSince(started) < 2.8 { usleep(50_000) }
        #expect(shown().contains("[\"slow\",\"running\""))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(shown().contains("[\"slow\",\"completed\""))
    }

    @Test func runByHandReadsOnlyItsOwnFileOnceTheReportsHaveAnOverview() throws {
        let root = try repository([
            "schedules/quick.yaml": Self.schedule(extra: "enabled: false"), "schedules/other.yaml": Self.schedule(extra: "enabled: false"),
        ])
        let first = try retrain(["reconcile", "--now", "2026-11-25T11:00:00Z"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        // Another schedule breaks; a run of this one neither reads nor reports it, and the overview
        // keeps the row the last pass wrote for it.
        try "model: [".write(to: root.appendingPathComponent("schedules/other.yaml"), atomically: false, encoding: .utf8)
        let run = try retrain(["run", "quick", "--wait", "--now", "2026-11-25T12:00:00Z"], in: root)
        // Nothing about other.yaml (the one line is that the scratch repository is not in git).
        #expect(run.status == 0 && !run.stderr.contains("other") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        let overview = try String(contentsOf: root.appendingPathComponent("reports/index.html"), encoding: .utf8)
        #expect(overview.contains("[\"other\",\"paused\"") && overview.contains("[\"quick\",\"paused\",0,\"quick\",null,null,"))
        #expect(try String(contentsOf: root.appendingPathComponent("reports/quick/index.html"), encoding: .utf8).contains("@manual-20261125T120000Z"))
        // The next command that reads every file sees it.
        let again = try retrain(["report", "--now", "2026-11-25T12:01:00Z"], in: root)
        #expect(again.stderr.hasPrefix("schedules/other.yaml:2:1: error:") && again.stdout.contains("wrote reports/other/index.html"))
        #expect(try String(contentsOf: root.appendingPathComponent("reports/index.html"), encoding: .utf8).contains("[\"other\",\"invalid\""))
    }

    @Test func gatesPromoteOrRejectAndTheChampionFileFollows() throws {
        let root = try repository(["schedules/quick.yaml": Self.schedule(extra: "gates: [auc >= 0.95]")])
        let rejected = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(rejected.status == 0, "\(rejected.stderr)")  // a rejection is not a failure of the run
        #expect(
            rejected.stdout.contains("finish  run_ended  quick@20261125T100000Z  rejected (gate failed: auc >= 0.95 (0.9 vs 0.95)): auc 0.9, rows 2"))
        let result = try json(root, "reports/quick/quick@20261125T100000Z/result.json")
        #expect(result["status"] as? String == "rejected")
        let gates = try #require(result["gates"] as? [[String: Any]])
        #expect(
            gates.count == 1 && gates[0]["gate"] as? String == "auc >= 0.95" && gates[0]["held"] as? Bool == false
                && gates[0]["threshold"] as? Double == 0.95)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("models/quick/champion.json").path))
        #expect(try entry(root, "quick")["champion"] == nil)
        // The reports name the gate that failed.
        let comparison = try String(contentsOf: root.appendingPathComponent("reports/quick/comparison.md"), encoding: .utf8)
        #expect(comparison.contains("## quick: quick@20261125T100000Z (rejected)") && comparison.contains("❌ failed: `auc >= 0.95` — 0.9 vs 0.95"))
        #expect(try String(contentsOf: root.appendingPathComponent("reports/summary.md"), encoding: .utf8).contains("⛔ rejected"))

        try Self.schedule(extra: "gates: [auc >= 0.5, auc >= champion.auc]").write(
            to: root.appendingPathComponent("schedules/quick.yaml"), atomically: false, encoding: .utf8)
        let promoted = try retrain(["reconcile", "--wait", "--now", "2026-11-26T10:05:00Z"], in: root)
        #expect(promoted.status == 0, "\(promoted.stderr)")
        let second = try json(root, "reports/quick/quick@20261126T100000Z/result.json")
        #expect(second["status"] as? String == "completed")
        #expect(second["champion_after"] as? String == "quick@20261126T100000Z" && second["champion_before"] == nil)
        let champion = try json(root, "models/quick/champion.json")
        #expect(champion["run_id"] as? String == "quick@20261126T100000Z")
        #expect(champion["model_folder"] as? String == "models/quick/quick@20261126T100000Z")
        #expect((try entry(root, "quick")["champion"] as? [String: Any])?["id"] as? String == "quick@20261126T100000Z")
        // The comparison and the dashboard show it: against the rejected run before it, promoted.
        let compared = try json(root, "reports/quick/comparison.json")
        #expect((compared["run"] as? [String: Any])?["status"] as? String == "completed")
        #expect((compared["previous"] as? [String: Any])?["run_id"] as? String == "quick@20261125T100000Z")
        let dashboard = try String(contentsOf: root.appendingPathComponent("reports/index.html"), encoding: .utf8)
        #expect(dashboard.contains("[\"quick\",\"completed\",0,\"quick\""))
        let page = try String(contentsOf: root.appendingPathComponent("reports/quick/index.html"), encoding: .utf8)
        #expect(
            page.contains("<h1>quick<span class=\"badge s-completed\">completed</span>")
                && page.contains("<span class=\"held\">in service</span> <code>@20261126T100000Z</code>"))
        let prom = try String(contentsOf: root.appendingPathComponent("reports/metrics.prom"), encoding: .utf8)
        #expect(prom.contains("retrain_champion_metric{schedule=\"quick\",metric=\"auc\"} 0.9\n"))
        let compare = try retrain(["compare", "quick", "@20261125T100000Z", "@20261126T100000Z", "--all"], in: root)
        #expect(compare.status == 0 && compare.stdout.contains("auc ↑"), "\(compare.stderr)")
        let latest = try retrain(["compare", "quick", "--format", "markdown"], in: root)
        #expect(
            latest.stdout.hasPrefix("## quick: quick@20261126T100000Z (completed)\n\nAgainst the previous run `quick@20261125T100000Z` (rejected)."),
            "\(latest.stdout)")
        let unknown = try retrain(["compare", "quick", "@nope", "@20261126T100000Z"], in: root)
        #expect(unknown.status == 1 && unknown.stderr.contains("no run 'quick@nope' with metrics"))

        // `report` rebuilds what was deleted, from the state and the run folders alone.
        let before = try String(contentsOf: root.appendingPathComponent("reports/quick/comparison.md"), encoding: .utf8)
        for name in ["quick/comparison.md", "quick/comparison.json", "quick/index.html", "summary.md", "metrics.prom", "index.html", "overview.json"]
        {
            try FileManager.default.removeItem(at: root.appendingPathComponent("reports/" + name))
        }
        let rebuilt = try retrain(["report", "--now", "2026-11-26T10:06:00Z"], in: root)
        #expect(rebuilt.status == 0 && rebuilt.stdout.contains("wrote reports/index.html"), "\(rebuilt.stderr)")
        #expect(try String(contentsOf: root.appendingPathComponent("reports/quick/comparison.md"), encoding: .utf8) == before)
        let again = try retrain(["report", "--now", "2026-11-26T10:06:00Z"], in: root)
        #expect(again.stdout.hasPrefix("reports in reports/ are up to date"))
        let list = try retrain(["list", "--now", "2026-11-26T10:06:00Z"], in: root)
        #expect(list.stdout.contains("completed"))
    }
}
