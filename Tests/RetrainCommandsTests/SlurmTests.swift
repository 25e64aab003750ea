import Foundation
import RetrainTestSupport
import Testing

/// `executor: slurm` against a real Slurm: the single-node cluster `make slurm-up` starts on
/// loopback (`make test` starts it). The built binary submits real batch jobs, which run `retrain
/// __supervise` on the node and leave their outcome in the scratch repository (the node and this
/// machine are one, so the filesystem is shared). One test at a time: one stops the controller.
@Suite(.serialized) struct SlurmTests {
    static let slurmUp: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/sh")
        probe.arguments = ["-c", "sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed|alloc'"]
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    /// A trainer that logs, records each start in `starts.txt` and writes one metric; `extra` runs first.
    static func trainer(_ extra: String = "") -> String {
        #"[sh, -c, '\#(extra)echo training $RETRAIN_RUN_ID on $(hostname); echo $RETRAIN_RUN_ID >> starts.txt; echo "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
    }

    static func schedule(_ command: String = trainer(), extra: String = "") -> String {
        """
        model: quick
        start: 2026-11-25 10:00
        timezone: UTC
        repeat: daily
        command: \(command)
        executor: slurm
        slurm: {cpus: 1, mem: 100M}
        \(extra)
        """
    }

    func repository(_ files: [String: String]) throws -> URL {
        let root = try scratchRepository()
        for (path, text) in files { try text.write(to: root.appendingPathComponent(path), atomically: false, encoding: .utf8) }
        return root
    }

    func json(_ root: URL, _ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func history(_ root: URL, _ id: String) -> [[String: Any]] {
        let text = (try? String(contentsOf: root.appendingPathComponent(".retrain/history/\(id).jsonl"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// The ids of the jobs Slurm remembers for run `name` of the repository at `root` (a test run a
    /// minute earlier used the same run ids in another scratch repository).
    func jobs(_ root: URL, named name: String) -> [String] {
        let folder = root.appendingPathComponent("reports/\(name.split(separator: "@")[0])/\(name)/").path
        return shell("squeue -h -t all --name='\(name)' -o '%i|%k'").split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", maxSplits: 1)
            return fields.count == 2 && fields[1].hasPrefix(folder) ? String(fields[0]) : nil
        }
    }

    @discardableResult
    func shell(_ command: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func requireSlurm() -> Bool {
        if !Self.slurmUp { Issue.record("no Slurm answers (sinfo): start the test cluster with `make slurm-up`") }
        return Self.slurmUp
    }

    @Test func eightDueSchedulesBecomeEightJobsEachRecordedOnceWithItsJobID() throws {
        guard requireSlurm() else { return }
        let ids = (1...8).map { "s\($0)" }
        let root = try repository(Dictionary(uniqueKeysWithValues: ids.map { ("schedules/\($0).yaml", Self.schedule()) }))
        let run = try retrain(["reconcile", "--wait", "--max-parallel", "8", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.components(separatedBy: "submitted as Slurm job ").count == 9, "\(run.stdout)")
        var seen = Set<String>()
        for id in ids {
            let runID = "\(id)@20261125T100000Z"
            let records = history(root, id)
            #expect(records.count == 1 && records.first?["status"] as? String == "completed", "\(id): \(records)")
            let result = try json(root, "reports/\(id)/\(runID)/result.json")
            let job = try #require(result["slurm_job"] as? String)
            #expect((result["provenance"] as? [String: Any])?["executor"] as? String == "slurm")
            #expect(jobs(root, named: runID) == [job])
            seen.insert(job)
            let log = (try? String(contentsOf: root.appendingPathComponent("reports/\(id)/\(runID)/log.txt"), encoding: .utf8)) ?? ""
            #expect(log.contains("training \(runID) on "), "\(log)")
        }
        #expect(seen.count == 8)
        let starts = (try? String(contentsOf: root.appendingPathComponent("starts.txt"), encoding: .utf8)) ?? ""
        #expect(starts.split(separator: "\n").count == 8)
    }

    /// retrain.yaml's defaults: a schedule that names no executor runs on Slurm, with the default
    /// options under its own.
    @Test func retrainYamlDefaultsSendSchedulesToSlurmWithTheirOptions() throws {
        guard requireSlurm() else { return }
        let plain = Self.schedule().replacingOccurrences(of: "executor: slurm\nslurm: {cpus: 1, mem: 100M}\n", with: "slurm: {cpus: 1}\n")
        let root = try repository([
            "retrain.yaml": "defaults:\n  executor: slurm\n  slurm: {partition: debug, mem: 64M, extra_args: [--nice=5]}\n",
            "schedules/d.yaml": plain,
        ])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0 && run.stdout.contains("submitted as Slurm job"), "\(run.stdout)\(run.stderr)")
        let job = try #require(jobs(root, named: "d@20261125T100000Z").first)
        // partition, memory (MB), CPUs, nice
        #expect(shell("squeue -h -t all -j \(job) -o '%P %m %C %y'").trimmingCharacters(in: .whitespacesAndNewlines) == "debug 64M 1 5")
        #expect(history(root, "d").map { $0["status"] as? String } == ["completed"])
    }

    @Test func aFailingJobIsRetried() throws {
        guard requireSlurm() else { return }
        // Fails the first time (no marker yet), trains the second.
        let command = Self.trainer("if [ ! -e marker ]; then touch marker; echo first try fails; exit 3; fi; ")
        let root = try repository(["schedules/f.yaml": Self.schedule(command, extra: "retries: 1\nretry_delay: 1m\n")])
        let first = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(first.status == 1 && first.stdout.contains("failed (exit 3); attempt 2 of 2 from "), "\(first.stdout)\(first.stderr)")
        let second = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:10:00Z"], in: root)
        #expect(second.status == 0 && second.stdout.contains("completed: auc 0.9"), "\(second.stdout)\(second.stderr)")
        let result = try json(root, "reports/f/f@20261125T100000Z/result.json")
        #expect((result["attempts"] as? [[String: Any]])?.map { $0["status"] as? String } == ["failed", "trained"])
        #expect(jobs(root, named: "f@20261125T100000Z").count == 2)
        #expect(history(root, "f").count == 1)
    }

    @Test func aJobOverItsTimeLimitEndsAsTimeout() throws {
        guard requireSlurm() else { return }
        let root = try repository([
            "schedules/t.yaml": Self.schedule(#"[sh, -c, 'echo sleeping; sleep 600']"#, extra: "timeout: 1h\nslurm: {time: \"1\"}\n")
                .replacingOccurrences(of: "slurm: {cpus: 1, mem: 100M}\n", with: "")
        ])
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let records = history(root, "t")
        #expect(records.count == 1 && (records.first?["reason"] as? String)?.hasPrefix("timeout: Slurm job ") == true, "\(records)")
        #expect((records.first?["reason"] as? String)?.hasSuffix("reached its time limit (TIMEOUT)") == true)
        // The trainer went with the job.
        #expect(shell("pgrep -f 'sleep 60[0]' || true").isEmpty)
    }

    @Test func cancelOfARunningJobScancelsItAndItIsNotRetried() throws {
        guard requireSlurm() else { return }
        let root = try repository(["schedules/c.yaml": Self.schedule(#"[sh, -c, 'echo started > started.txt; sleep 603']"#, extra: "retries: 2\n")])
        let first = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        for _ in 0..<300 where !FileManager.default.fileExists(atPath: root.appendingPathComponent("started.txt").path) { usleep(50_000) }
        let job = try #require(jobs(root, named: "c@20261125T100000Z").first)
        let cancel = try retrain(["cancel", "c", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(cancel.status == 0 && cancel.stdout.contains("Slurm job \(job) cancelled (scancel)"), "\(cancel.stdout)\(cancel.stderr)")
        var state = ""
        for _ in 0..<100 {
            state = shell("squeue -h -t all -j \(job) -o %T").trimmingCharacters(in: .whitespacesAndNewlines)
            if state == "CANCELLED" { break }
            usleep(100_000)
        }
        #expect(state == "CANCELLED")
        usleep(300_000)
        #expect(shell("pgrep -f 'sleep 60[3]' || true").isEmpty)
        #expect(history(root, "c").map { $0["status"] as? String } == ["failed"])
        #expect((history(root, "c").first?["reason"] as? String)?.hasPrefix("cancelled by ") == true)
        let next = try retrain(["reconcile", "--now", "2026-11-25T10:30:00Z"], in: root)
        #expect(next.status == 0 && jobs(root, named: "c@20261125T100000Z") == [job], "\(next.stdout)")
    }

    /// SIGKILLed right after sbatch, before the state (and, here, job.json) was written: the next
    /// pass finds the job by its name and records it; nothing is submitted twice.
    @Test func aReconcilerKilledBetweenSbatchAndTheStateWriteDoesNotSubmitTwice() throws {
        guard requireSlurm() else { return }
        let root = try repository(["schedules/k.yaml": Self.schedule(Self.trainer("sleep 2; "))])
        let killed = try retrain(["reconcile", "--crash-after-start", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(killed.status != 0)
        let attempt = root.appendingPathComponent("reports/k/k@20261125T100000Z/attempt-1")
        try FileManager.default.removeItem(at: attempt.appendingPathComponent("job.json"))
        let next = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stdout.contains("already started by an earlier pass; recorded"), "\(next.stdout)")
        #expect(jobs(root, named: "k@20261125T100000Z").count == 1)
        #expect(history(root, "k").map { $0["status"] as? String } == ["completed"])
        let starts = (try? String(contentsOf: root.appendingPathComponent("starts.txt"), encoding: .utf8)) ?? ""
        #expect(starts == "k@20261125T100000Z\n")
    }

    /// The controller stops while a job runs and another is due: the pass says so and fails, the
    /// running job stays recorded as running, the due one waits; once the controller is back, both
    /// are recorded completed, once.
    @Test func aStoppedControllerIsAClearErrorAndLosesNothing() throws {
        guard requireSlurm() else { return }
        let root = try repository([
            "schedules/a.yaml": Self.schedule(Self.trainer("sleep 4; ")),
            "schedules/b.yaml": Self.schedule().replacingOccurrences(of: "start: 2026-11-25 10:00", with: "start: 2026-11-25 10:07"),
        ])
        let first = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(first.status == 0 && first.stdout.contains("submitted as Slurm job"), "\(first.stdout)\(first.stderr)")
        shell("kill $(cat /tmp/slurm-local/run/slurmctld.pid); while pgrep -x slurmctld >/dev/null; do sleep 0.1; done")
        defer { shell("bash \(repositoryRoot.path)/Tests/Slurm/slurm-local.sh start") }
        let down = try retrain(["reconcile", "--now", "2026-11-25T10:08:00Z"], in: root)
        #expect(down.status == 1)
        #expect(down.stderr.contains("a: a@20261125T100000Z: cannot ask Slurm about job "), "\(down.stderr)")
        #expect(down.stderr.contains("Unable to contact slurm controller"), "\(down.stderr)")
        #expect(down.stdout.contains("b@20261125T100700Z  not started: "), "\(down.stdout)")
        #expect(down.stdout.contains("the next pass tries again"), "\(down.stdout)")
        shell("bash \(repositoryRoot.path)/Tests/Slurm/slurm-local.sh start")
        let back = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:09:00Z"], in: root)
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        #expect(history(root, "a").map { $0["status"] as? String } == ["completed"])
        #expect(history(root, "b").map { $0["status"] as? String } == ["completed"])
        #expect(jobs(root, named: "a@20261125T100000Z").count == 1 && jobs(root, named: "b@20261125T100700Z").count == 1)
    }
}
