import Foundation
import RetrainTestSupport
import Testing

/// What a run of the built binary printed and returned.
struct Run {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// Runs the built `retrain` (RETRAIN_BIN, else .build/debug/retrain) with no standard input;
/// under `wrapper` (e.g. `unshare … --`) when given.
func retrain(_ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:], wrapper: [String] = []) throws -> Run {
    let binary = ProcessInfo.processInfo.environment["RETRAIN_BIN"] ?? repositoryRoot.appendingPathComponent(".build/debug/retrain").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: wrapper.first ?? binary)
    process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [binary] + arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // Files, not pipes: a large output can never fill a pipe and block the child.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-run-\(UUID().uuidString)")
    let outURL = scratch.appendingPathExtension("out")
    let errURL = scratch.appendingPathExtension("err")
    try Data().write(to: outURL)
    try Data().write(to: errURL)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return Run(
        stdout: try String(contentsOf: outURL, encoding: .utf8), stderr: try String(contentsOf: errURL, encoding: .utf8),
        status: process.terminationStatus)
}

/// A state file that does not exist: commands run on the repository's own schedules must not read
/// the state a local `make run` leaves in `.retrain/`.
let noState = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-no-state-\(UUID().uuidString).json").path

/// A fresh temporary folder holding a `schedules/` folder.
func scratchRepository() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url.appendingPathComponent("schedules"), withIntermediateDirectories: true)
    return url
}

@Suite(.serialized) struct EndToEndTests {
    @Test func validateTheRealSchedules() throws {
        let run = try retrain(["validate"])
        #expect(run.status == 0)
        #expect(run.stdout == "checked 5 files: 0 errors, 0 warnings\n")
        #expect(run.stderr == "")
    }

    @Test func validateTheInvalidExamplesReportsEveryFile() throws {
        let run = try retrain(["validate", "examples/invalid"])
        #expect(run.status == 1)
        let golden = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("examples/invalid").path)
            .filter { $0.hasSuffix(".expected") }.sorted()
            .map { try String(contentsOf: repositoryRoot.appendingPathComponent("examples/invalid/\($0)"), encoding: .utf8) }
            .joined()
        #expect(run.stderr == golden)
        #expect(run.stdout.hasPrefix("checked 18 files: "))
    }

    @Test func githubFormatPutsErrorsFirstThenOneSummaryLine() throws {
        let run = try retrain(["validate", "--format", "github", "examples/invalid/bad-gates.yaml"])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "::error file=examples/invalid/bad-gates.yaml,line=7,col=5,title=retrain validate::the 'attrition' model does not produce 'rmse'; its metrics are auc, accuracy, precision, recall, f1, log_loss"
        )
        let firstWarning = try #require(lines.firstIndex { $0.hasPrefix("::warning") })
        #expect(!lines[firstWarning...].contains { $0.hasPrefix("::error") })
        #expect(lines.last == "checked 1 file: 4 errors, 1 warning")
    }

    @Test func jsonFormatIsMachineReadable() throws {
        let run = try retrain(["validate", "--format", "json", "examples/invalid/duplicate-key.yaml"])
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        let diagnostic = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(diagnostic["line"] as? Int == 6 && diagnostic["column"] as? Int == 1 && diagnostic["severity"] as? String == "error")
        #expect((diagnostic["notes"] as? [[String: Any]])?.first?["line"] as? Int == 5)
    }

    @Test func strictTurnsWarningsIntoFailure() throws {
        let repo = try scratchRepository()
        try "model: attrition\nstart: 2026-12-01\ndata: d.csv\ntarget: y\nlabels: {on_call: no}\n".write(
            to: repo.appendingPathComponent("schedules/a.yaml"), atomically: false, encoding: .utf8)
        #expect(try retrain(["validate"], in: repo).status == 0)
        let strict = try retrain(["validate", "--strict"], in: repo)
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("schedules/a.yaml:5:19: warning: 'labels.on_call' is the plain word 'no'"))
    }

    @Test func colourOnlyWithoutNoColor() throws {
        let run = try retrain(["validate", "examples/invalid/empty.yaml"])
        #expect(!run.stderr.contains("\u{1B}["))
    }

    @Test func oneBrokenFileDoesNotHideTheOthers() throws {
        let repo = try scratchRepository()
        try "model: risk\nstart: 2026-12-01\ndata: r.csv\ntarget: y\nretries: many\n".write(
            to: repo.appendingPathComponent("schedules/a.yaml"), atomically: false, encoding: .utf8)
        try "{{{{".write(to: repo.appendingPathComponent("schedules/b.yaml"), atomically: false, encoding: .utf8)
        try "model: risk\nstart: 2026-12-01\ndata: r.csv\ntarget: y\nrepeat: dayly\n".write(
            to: repo.appendingPathComponent("schedules/c.yml"), atomically: false, encoding: .utf8)
        try "ignored".write(to: repo.appendingPathComponent("schedules/notes.txt"), atomically: false, encoding: .utf8)
        let run = try retrain(["validate"], in: repo)
        #expect(run.status == 1)
        #expect(run.stdout == "checked 3 files: 3 errors, 0 warnings\n")
        #expect(run.stderr.contains("schedules/a.yaml:5:10: error: 'retries' must be a whole number"))
        #expect(run.stderr.contains("schedules/b.yaml:2:1: error: YAML syntax error: did not find expected node content"))
        #expect(run.stderr.contains("schedules/c.yml:5:9: error: 'repeat' is 'dayly'"))
        #expect(run.stderr.contains("(did you mean 'daily'?)"))
    }

    @Test func twoFilesWithOneIDAreAnError() throws {
        let repo = try scratchRepository()
        let text = "model: risk\nstart: 2026-12-01\ndata: r.csv\ntarget: y\n"
        try text.write(to: repo.appendingPathComponent("schedules/risk.yaml"), atomically: false, encoding: .utf8)
        try text.write(to: repo.appendingPathComponent("schedules/risk.yml"), atomically: false, encoding: .utf8)
        let run = try retrain(["validate"], in: repo)
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "schedules/risk.yml:1:1: error: schedule id 'risk' is also defined by schedules/risk.yaml; ids come from file names and must be unique, so rename or remove one\n"
        )
    }

    @Test func symlinksOutOfTheFolderAreRefused() throws {
        let repo = try scratchRepository()
        let outside = repo.appendingPathComponent("outside.yaml")
        try "model: risk\nstart: 2026-12-01\ndata: r.csv\ntarget: y\n".write(to: outside, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("schedules/evil.yaml").path, withDestinationPath: outside.path)
        try FileManager.default.copyItem(at: outside, to: repo.appendingPathComponent("schedules/real.yaml"))
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("schedules/alias.yaml").path, withDestinationPath: "real.yaml")
        let run = try retrain(["validate"], in: repo)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("schedules/evil.yaml:1:1: error: this symlink leads outside the schedules folder"))
        #expect(run.stdout == "checked 2 files: 1 error, 0 warnings\n")
    }

    @Test func hostileFilesGetOneClearErrorQuickly() throws {
        let repo = try scratchRepository()
        let dir = repo.appendingPathComponent("schedules")
        let bomb =
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + (1...8).map { "b\($0): &b\($0) [" + Array(repeating: $0 == 1 ? "*a" : "*b\($0 - 1)", count: 9).joined(separator: ", ") + "]" }.joined(
                separator: "\n")
        try bomb.write(to: dir.appendingPathComponent("bomb.yaml"), atomically: false, encoding: .utf8)
        try (String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).write(
            to: dir.appendingPathComponent("deep.yaml"), atomically: false, encoding: .utf8)
        try Data().write(to: dir.appendingPathComponent("huge.yaml"))
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent("huge.yaml"))
        try handle.truncate(atOffset: 1 << 30)
        try handle.close()
        try Data([0x6D, 0x3A, 0x20, 0xC3, 0x28, 0x0A]).write(to: dir.appendingPathComponent("utf8.yaml"))
        try Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00]).write(to: dir.appendingPathComponent("elf.yaml"))
        let started = Date()
        let run = try retrain(["validate"], in: repo)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(run.status == 1)
        let perFile = Dictionary(grouping: run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }) { $0.split(separator: ":")[0] }
        #expect(
            perFile.keys.sorted() == [
                "schedules/bomb.yaml", "schedules/deep.yaml", "schedules/elf.yaml", "schedules/huge.yaml", "schedules/utf8.yaml",
            ])
        #expect(perFile["schedules/bomb.yaml"]?.count == 2)  // the first anchor and the first alias
        #expect(perFile["schedules/deep.yaml"]?.count == 1)
        #expect(run.stderr.contains("schedules/huge.yaml:1:1: error: the file is 1073741824 bytes, over the 1048576-byte limit"))
        #expect(run.stderr.contains("schedules/utf8.yaml:1:5: error: the file is not valid UTF-8"))
        #expect(run.stderr.contains("schedules/elf.yaml:1:7: error: the file holds NUL bytes"))
    }

    @Test func newWritesAValidFileAndNeverOverwrites() throws {
        let repo = try scratchRepository()
        let run = try retrain(
            ["new", "attrition-weekly", "--model", "attrition", "--start", "2026-12-01 02:00", "--repeat", "weekly", "--timezone", "Europe/Madrid"],
            in: repo)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("wrote schedules/attrition-weekly.yaml\n"))
        let text = try String(contentsOf: repo.appendingPathComponent("schedules/attrition-weekly.yaml"), encoding: .utf8)
        #expect(text.contains("model: attrition\n") && text.contains("timezone: Europe/Madrid\n") && text.contains("repeat: weekly"))
        #expect(try retrain(["validate", "--strict"], in: repo).status == 0)
        let again = try retrain(["new", "attrition-weekly", "--model", "risk", "--start", "2026-12-01"], in: repo)
        #expect(again.status == 1)
        #expect(again.stderr.contains("it already exists"))
        #expect(try String(contentsOf: repo.appendingPathComponent("schedules/attrition-weekly.yaml"), encoding: .utf8) == text)
    }

    @Test func newRefusesWhatWouldNotValidate() throws {
        let repo = try scratchRepository()
        let run = try retrain(["new", "x", "--model", "atrition", "--start", "2026-02-30"], in: repo)
        #expect(run.status == 2)
        #expect(run.stderr.contains("day 30 does not exist in February 2026"))
        #expect(run.stderr.contains("(did you mean 'attrition'?)"))
        #expect(!FileManager.default.fileExists(atPath: repo.appendingPathComponent("schedules/x.yaml").path))
        let external = try retrain(["new", "churn", "--model", "churn", "--start", "2026-12-01", "--command", "python3 train.py"], in: repo)
        #expect(external.status == 0, "\(external.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try retrain(["validate", "--format", "xml"]).status == 2)
        #expect(try retrain(["frobnicate"]).status == 2)
        #expect(try retrain(["new", "Bad Id", "--model", "risk", "--start", "2026-12-01"]).status == 2)
    }

    @Test func modelsListsTheCatalogue() throws {
        let run = try retrain(["models", "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["attrition", "duration", "performance", "risk"])
        #expect((object["parameters"] as? [[String: Any]])?.count == 8)
        #expect(try retrain(["models"]).stdout.contains("attrition    binary      auc"))
    }

    @Test func schemaCommandMatchesTheCommittedFile() throws {
        let run = try retrain(["schema"])
        let committed = try String(contentsOf: repositoryRoot.appendingPathComponent("schedules/schedule.schema.json"), encoding: .utf8)
        #expect(run.stdout == committed)
    }

    /// Outside git: runs work and say, once, that provenance has no commit; plan --base explains.
    @Test func outsideAGitRepositoryTheMissingCommitIsSaidOnce() throws {
        let root = try scratchRepository()
        try #"model: quick\#nstart: 2026-12-01\#ncommand: [sh, -c, 'echo "{\"auc\": 1}" > "$RETRAIN_METRICS"']\#n"#.write(
            to: root.appendingPathComponent("schedules/a.yaml"), atomically: false, encoding: .utf8)
        let base = try retrain(["plan", "--base", "origin/main"], in: root)
        #expect(base.status == 1)
        #expect(base.stderr.contains("this folder is not in a git repository, so there is no 'origin/main' to compare with"), "\(base.stderr)")
        let run = try retrain(["reconcile", "--wait", "--now", "2026-12-01T00:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let warnings = run.stderr.components(separatedBy: "is not in a git work tree with a commit").count - 1
        #expect(warnings == 1, "\(run.stderr)")
    }

    /// Data checked before training: `validate --data` places the problem, and a run is not
    /// started on such data; it fails with the same words.
    @Test func dataIsCheckedByValidateDataAndBeforeARunStarts() throws {
        let root = try scratchRepository()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try "a,b,level\n1,2,low\n2,3,high\n".write(to: root.appendingPathComponent("data/r.csv"), atomically: false, encoding: .utf8)
        try "model: risk\nstart: 2026-12-01\ndata: data/r.csv\ntarget: level\nfeatures: [a, b]\n".write(
            to: root.appendingPathComponent("schedules/r.yaml"), atomically: false, encoding: .utf8)
        #expect(try retrain(["validate"], in: root).status == 0)
        let checked = try retrain(["validate", "--data"], in: root)
        #expect(checked.status == 1)
        let message = "the target 'level' has 2 classes in data/r.csv (high, low); the risk model needs 3 (low, medium and high)"
        #expect(checked.stderr.contains("schedules/r.yaml:4:9: error: \(message)"), "\(checked.stderr)")
        let run = try retrain(["reconcile", "--now", "2026-12-01T00:05:00Z"], in: root)
        #expect(run.status == 1 && run.stdout.contains("could not start: data: schedules/r.yaml:4:9: \(message)"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("reports/r/r@20261201T000000Z/attempt-1").path))
    }

    /// A slim image without tzdata: the error names the package; TZDIR points at another database.
    @Test func theZoneDatabaseComesFromTZDIRAndItsAbsenceIsNamed() throws {
        let root = try scratchRepository()
        try "model: quick\nstart: 2026-12-01\ntimezone: Europe/Madrid\ncommand: [sh, -c, 'true']\n".write(
            to: root.appendingPathComponent("schedules/m.yaml"), atomically: false, encoding: .utf8)
        let missing = try retrain(["validate"], in: root, environment: ["TZDIR": root.appendingPathComponent("no-zoneinfo").path])
        #expect(missing.status == 1)
        #expect(
            missing.stderr.contains(
                "schedules/m.yaml:3:11: error: time zone 'Europe/Madrid' cannot be read: there is no time zone database in \(root.path)/no-zoneinfo; install the tzdata package (Debian: apt-get install tzdata), or point TZDIR at a zoneinfo folder"
            ), "\(missing.stderr)")
        // A database of its own, with the one zone.
        let zones = root.appendingPathComponent("zones/Europe")
        try FileManager.default.createDirectory(at: zones, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Europe/Madrid", toPath: zones.appendingPathComponent("Madrid").path)
        let own = try retrain(
            ["next", "m", "--now", "2026-11-30T00:00:00Z"], in: root, environment: ["TZDIR": root.appendingPathComponent("zones").path])
        #expect(own.status == 0 && own.stdout.contains("2026-12-01 00:00 +01:00"), "\(own.stdout)\(own.stderr)")
    }

    @Test func retrainYamlErrorsAreReportedWithTheSchedules() throws {
        let repo = try scratchRepository()
        try "reprots: public\n".write(to: repo.appendingPathComponent("retrain.yaml"), atomically: false, encoding: .utf8)
        try "model: risk\nstart: 2026-12-01\ndata: r.csv\ntarget: y\n".write(
            to: repo.appendingPathComponent("schedules/a.yaml"), atomically: false, encoding: .utf8)
        let run = try retrain(["validate"], in: repo)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("retrain.yaml:1:1: error: unknown key 'reprots' in retrain.yaml; did you mean 'reports'?"))
    }

    @Test func nextShowsSlotsInUTCAndLocalTimeWithDSTNotes() throws {
        let repo = try scratchRepository()
        try "model: risk\nstart: 2027-03-01 02:30\ntimezone: Europe/Madrid\nrepeat: daily\ndata: r.csv\ntarget: y\n"
            .write(to: repo.appendingPathComponent("schedules/nightly.yaml"), atomically: false, encoding: .utf8)
        let run = try retrain(["next", "nightly", "--count", "3", "--now", "2027-03-26T12:00:00Z"], in: repo)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout == """
                nightly: daily in Europe/Madrid, from 2027-03-01 02:30
                UTC                   LOCAL                    NOTE
                2027-03-27T01:30:00Z  2027-03-27 02:30 +01:00
                2027-03-28T01:30:00Z  2027-03-28 03:30 +02:00  02:30 does not exist that day (DST); runs 1h later on the clock
                2027-03-29T00:30:00Z  2027-03-29 02:30 +02:00

                """)
        let json = try retrain(
            ["next", "nightly", "--count", "2", "--format", "json"], in: repo, environment: ["RETRAIN_NOW": "2027-10-30T12:00:00Z"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let slots = try #require(object["slots"] as? [[String: Any]])
        #expect(slots.map { $0["utc"] as? String } == ["2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"])
        #expect(slots.map { $0["note"] as? String } == ["first_of_two", nil])
    }

    @Test func nextAllListsEverySchedule() throws {
        let run = try retrain(["next", "--all", "--now", "2026-11-25T12:00:00Z"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[1].hasPrefix("attrition-python     2026-12-01T02:00:00Z  2026-12-01 03:00 +01:00  0 3 * * 1-5"))
        #expect(lines[2].hasPrefix("attrition-weekly     2026-12-01T01:00:00Z  2026-12-01 02:00 +01:00  weekly"))
    }

    @Test func nextExplainsMistakes() throws {
        let missing = try retrain(["next", "nope", "--now", "2026-11-25T12:00:00Z"])
        #expect(missing.status == 1)
        #expect(
            missing.stderr
                == "schedules/nope.yaml:1:1: error: no schedule 'nope': there is no schedules/nope.yaml; `retrain next --all` lists the schedules\n")
        let badNow = try retrain(["next", "attrition-weekly", "--now", "tomorrow"])
        #expect(badNow.status == 2)
        #expect(badNow.stderr.contains("'tomorrow' is not a time; write it as 2026-11-25T12:00:00Z"))
        #expect(try retrain(["next"]).status == 2)
    }

    @Test func unlockRemovesALeftoverLock() throws {
        let repo = try scratchRepository()
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".retrain"), withIntermediateDirectories: true)
        try "{\"acquired_at\":\"2026-11-25T11:00:00Z\",\"host\":\"other\",\"operation\":\"reconcile\",\"pid\":4242}"
            .write(to: repo.appendingPathComponent(".retrain/state.json.lock"), atomically: false, encoding: .utf8)
        let run = try retrain(["unlock"], in: repo)
        #expect(run.status == 0)
        #expect(run.stdout == "removed the lock held by pid 4242 on other (reconcile since 2026-11-25T11:00:00Z)\n")
        #expect(!FileManager.default.fileExists(atPath: repo.appendingPathComponent(".retrain/state.json.lock").path))
        #expect(try retrain(["unlock"], in: repo).stdout == "no lock to remove at .retrain/state.json.lock\n")
    }

    @Test func planShowsWhatAPassWouldDoAndExitsLikeTerraform() throws {
        let run = try retrain(["plan", "--now", "2026-12-01T01:30:00Z", "--state", noState])
        #expect(run.status == 0)
        #expect(run.stdout.contains("attrition-weekly     run     due           2026-12-01T01:00:00Z  due 30 min ago\n"))
        #expect(run.stdout.hasSuffix("plan at 2026-12-01T01:30:00Z: 1 run, 5 adopt, 4 noop\n"))
        #expect(try retrain(["plan", "--detailed-exitcode", "--now", "2026-12-01T01:30:00Z", "--state", noState]).status == 2)
        let empty = try scratchRepository()
        let none = try retrain(["plan", "--detailed-exitcode", "--now", "2026-12-01T01:30:00Z"], in: empty)
        #expect(none.status == 0)
        #expect(none.stdout.hasSuffix("plan at 2026-12-01T01:30:00Z: no schedules\n"))
    }

    @Test func planJSONUsesStableReasons() throws {
        let run = try retrain(["plan", "--format", "json", "--now", "2026-12-01T01:30:00Z", "--state", noState])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let actions = try #require(object["actions"] as? [[String: Any]])
        let runs = actions.filter { $0["action"] as? String == "run" }
        #expect(runs.map { $0["run_id"] as? String } == ["attrition-weekly@20261201T010000Z"])
        #expect(Set(actions.compactMap { $0["reason"] as? String }) == ["new_schedule", "due", "not_due"])
        #expect(object["has_changes"] as? Bool == true)
    }

    @Test func planKeepsBrokenSchedulesAndRefusesADamagedState() throws {
        let repo = try scratchRepository()
        try "model: risk\nstart: 2026-12-01\nrepeat: dayly\ndata: r.csv\ntarget: y\n".write(
            to: repo.appendingPathComponent("schedules/broken.yaml"), atomically: false, encoding: .utf8)
        let run = try retrain(["plan", "--now", "2026-12-01T01:30:00Z"], in: repo)
        #expect(run.status == 1)
        #expect(run.stderr.contains("schedules/broken.yaml:3:9: error: 'repeat' is 'dayly'"))
        #expect(run.stdout.contains("broken    noop    invalid"))
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".retrain"), withIntermediateDirectories: true)
        try "{\"version\": 1, \"schedules\": {".write(to: repo.appendingPathComponent(".retrain/state.json"), atomically: false, encoding: .utf8)
        let damaged = try retrain(["plan", "--now", "2026-12-01T01:30:00Z"], in: repo)
        #expect(damaged.status == 1)
        #expect(
            damaged.stderr.contains(
                ".retrain/state.json:1:30: error: the state file is damaged (the file ends inside an object (was it cut short?)); nothing was changed."
            ))
        // Every command says it the same way, once, where editors and CI look for a position.
        let now = ["--now", "2026-12-01T01:30:00Z"]
        for command in [["list"] + now, ["show", "broken"] + now, ["history", "broken"], ["compare", "broken"], ["reconcile"] + now] {
            let said = try retrain(command, in: repo)
            let lines = said.stderr.split(separator: "\n").filter { $0.contains("state file is damaged") }
            #expect(said.status == 1 && lines.count == 1 && lines[0].hasPrefix(".retrain/state.json:1:30: error: "), "\(command): \(said.stderr)")
        }
    }

    @Test func aFormatACommandDoesNotHaveIsAUsageError() throws {
        let list = try retrain(["list", "--format", "markdown"])
        #expect(list.status == 2)
        #expect(list.stderr.contains("'markdown' is not a format here; use table or json"))
        let validate = try retrain(["validate", "--format", "table"])
        #expect(validate.status == 2 && validate.stderr.contains("use text, json or github"))
    }

    @Test func planBaseShowsWhatAPullRequestChanges() throws {
        let repo = try scratchRepository()
        func git(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            p.arguments = ["-c", "user.name=t", "-c", "user.email=t@example.com"] + args
            p.currentDirectoryURL = repo
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
        }
        let schedule = repo.appendingPathComponent("schedules/a.yaml")
        try "model: risk\nstart: 2026-12-01\nrepeat: daily\ndata: r.csv\ntarget: y\nparams: {epochs: 10}\n".write(
            to: schedule, atomically: false, encoding: .utf8)
        try git("init", "-q")
        try git("add", "-A")
        try git("commit", "-qm", "base")
        try "model: risk\nstart: 2026-12-01\nrepeat: daily\ndata: r.csv\ntarget: y\nparams: {epochs: 20}\n".write(
            to: schedule, atomically: false, encoding: .utf8)
        let run = try retrain(["plan", "--base", "HEAD", "--format", "markdown", "--detailed-exitcode", "--now", "2026-11-25T12:00:00Z"], in: repo)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stdout.contains("1 changed"))
        #expect(run.stdout.contains("| `params.epochs` | `10` | `20` |"))
        let unknown = try retrain(["plan", "--base", "no-such-ref", "--now", "2026-11-25T12:00:00Z"], in: repo)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("retrain plan: cannot read the schedules at no-such-ref: git ls-tree failed: fatal:"))
    }

    /// A repository with the four built-in-model schedules, a broken one, and a state with two runs and an orphan.
    func repositoryWithHistory() throws -> URL {
        let repo = try scratchRepository()
        for name in ["attrition-weekly.yaml", "duration-daily.yaml", "performance-monthly.yaml", "risk-workdays.yaml"] {
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent("schedules/\(name)"), to: repo.appendingPathComponent("schedules/\(name)"))
        }
        try "model: risk\nstart: [\n".write(to: repo.appendingPathComponent("schedules/broken.yaml"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".retrain"), withIntermediateDirectories: true)
        let state = """
            {"version": 1, "schedules": {
              "attrition-weekly": {"spec_hash": "x", "timing_hash": "y", "anchor": "2026-11-01T00:00:00Z", "last_slot": "2026-11-24T01:00:00Z",
                "consecutive_failures": 1, "orphaned": false,
                "history": [{"id": "attrition-weekly@20261117T010000Z", "slot": "2026-11-17T01:00:00Z", "status": "completed", "attempt": 1,
                             "started_at": "2026-11-17T01:00:04Z", "finished_at": "2026-11-17T01:02:10Z", "metrics": {"auc": 0.87}},
                            {"id": "attrition-weekly@20261124T010000Z", "slot": "2026-11-24T01:00:00Z", "status": "failed", "reason": "exit 1",
                             "attempt": 2, "started_at": "2026-11-24T01:05:00Z", "finished_at": "2026-11-24T01:05:09Z"}]},
              "old-model": {"spec_hash": "x", "timing_hash": "y", "anchor": "2026-10-01T00:00:00Z", "consecutive_failures": 0, "orphaned": true, "history": []}}}
            """
        try state.write(to: repo.appendingPathComponent(".retrain/state.json"), atomically: false, encoding: .utf8)
        return repo
    }

    @Test func listShowsEveryScheduleWithItsStatus() throws {
        let repo = try repositoryWithHistory()
        let run = try retrain(["list", "--now", "2026-11-25T12:00:00Z"], in: repo)
        #expect(run.status == 1)  // broken.yaml has errors; the others are still listed
        #expect(run.stdout.split(separator: "\n").dropFirst().count == 6)
        #expect(
            run.stdout.contains("attrition-weekly     attrition    weekly            failed    failed 2026-11-24T01:05:09Z  2026-12-01T01:00:00Z"))
        #expect(run.stdout.contains("broken               -            -                 invalid"))
        #expect(run.stdout.contains("old-model            -            -                 orphaned"))
        let failed = try retrain(["list", "--status", "failed", "--format", "json", "--now", "2026-11-25T12:00:00Z"], in: repo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any])
        #expect((object["schedules"] as? [[String: Any]])?.map { $0["id"] as? String } == ["attrition-weekly"])
        let labelled = try retrain(["list", "--label", "team=project-office", "--now", "2026-11-25T12:00:00Z"], in: repo)
        #expect(
            labelled.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) } == [
                "duration-daily", "risk-workdays",
            ])
        #expect(try retrain(["list", "--status", "sleepy"], in: repo).status == 2)
    }

    @Test func showAndHistoryTellOneSchedulesStory() throws {
        let repo = try repositoryWithHistory()
        let show = try retrain(["show", "attrition-weekly", "--now", "2026-11-25T12:00:00Z"], in: repo)
        #expect(show.stdout.hasPrefix("attrition-weekly: failed\n  model      attrition (built-in trainer)\n"))
        #expect(show.stdout.contains("  failures   1 in a row\n"))
        #expect(show.stdout.contains("next slots:\n  2026-12-01T01:00:00Z  2026-12-01 02:00 +01:00\n"))
        let history = try retrain(["history", "attrition-weekly", "--format", "json"], in: repo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.map { $0["status"] as? String } == ["failed", "completed"])
        #expect((runs.last?["metrics"] as? [String: Double])?["auc"] == 0.87)
        let unknown = try retrain(["history", "nope"], in: repo)
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("retrain history: no runs recorded for 'nope'"))
    }
}
