import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// The Slurm executor against recorded `sbatch`, `squeue`, `scontrol` and `sacct` answers (as Slurm
/// 22.05 printed them on the single-node cluster of `make slurm-up`): what it submits, that it
/// submits an attempt once, and how it reads what Slurm says of every job with one `squeue` call.
@Suite struct SlurmExecutorTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-slurm-\(UUID().uuidString)").path
    let now: Instant = "2026-12-06T06:00:05Z"
    let runner = RecordedRunner()

    var executor: SlurmExecutor { SlurmExecutor(repositoryRoot: root, program: "/opt/retrain it's/retrain", runner: runner) }

    func request(_ runID: String = "churn@20261206T060000Z", attempt: Int = 1, slurm: SlurmOptions? = nil, hidden: [String]? = nil) -> RunRequest {
        var trainer = TrainerRequest(
            schedule: "churn", runID: runID, model: "attrition", command: [], paramsJSON: "{}", data: nil, target: nil,
            repositoryRoot: root, runFolder: "reports/churn/\(runID)", attempt: attempt, outputFolder: "models/churn/\(runID)",
            timeoutSeconds: 1800)
        trainer.hiddenEnvironment = hidden
        let provenance = Provenance(
            gitCommit: nil, scheduleModified: nil, scheduleFile: "schedules/churn.yaml", specHash: "x", command: nil, retrainVersion: "test",
            executor: "slurm")
        return RunRequest(trainer: trainer, slot: "2026-12-06T06:00:00Z", reason: "due", provenance: provenance, slurm: slurm)
    }

    func run(_ runID: String, job: String?, attempt: Int = 1) -> ActiveRun {
        ActiveRun(
            id: runID, slot: "2026-12-06T06:00:00Z", executor: "slurm", slurmJob: job, startedAt: now, attempt: attempt,
            folder: "reports/churn/\(runID)/attempt-\(attempt)")
    }

    func read(_ path: String) -> String { (try? String(contentsOfFile: root + "/" + path, encoding: .utf8)) ?? "" }

    @Test func aRunIsSubmittedWithItsOptionsAndItsJobIDRecorded() throws {
        runner.answer("sbatch", stdout: "42\n")
        var options = SlurmOptions()
        options.partition = "gpu"
        options.cpus = 4
        options.mem = "8G"
        options.gres = "gpu:a100:1"
        options.extraArgs = ["--exclusive"]
        let start = executor.start(request(slurm: options), now: now)
        guard case .started(let run) = start else {
            Issue.record("not started: \(start)")
            return
        }
        #expect(run.slurmJob == "42" && run.executor == "slurm" && run.pid == nil && run.folder == "reports/churn/churn@20261206T060000Z/attempt-1")
        let folder = root + "/reports/churn/churn@20261206T060000Z/attempt-1"
        #expect(
            runner.calls == [
                [
                    "sbatch", "--parsable", "--job-name=churn@20261206T060000Z", "--comment=\(folder)", "--chdir=\(root)",
                    "--output=\(root)/reports/churn/churn@20261206T060000Z/log.txt", "--open-mode=append", "--no-requeue", "--export=ALL",
                    "--partition=gpu", "--cpus-per-task=4", "--gres=gpu:a100:1", "--mem=8G", "--time=31", "--exclusive", folder + "/job.sh",
                ]
            ])
        // The script runs the supervisor on the folder; every word quoted, a quote in a path too.
        #expect(
            read("reports/churn/churn@20261206T060000Z/attempt-1/job.sh").contains("exec '/opt/retrain it'\\''s/retrain' '__supervise' '\(folder)'\n")
        )
        #expect(SourceFile.readJSON(SlurmExecutor.JobRecord.self, folder + "/job.json")?.jobID == "42")
        #expect(SourceFile.readJSON(RunRequest.self, folder + "/request.json")?.slurm?.partition == "gpu")
    }

    @Test func slurmTimeWinsOverTheTimeoutAndSecretsStayBehind() {
        runner.answer("sbatch", stdout: "7;cluster\n")
        setenv("RETRAIN_TEST_SECRET", "hunter2", 1)
        defer { unsetenv("RETRAIN_TEST_SECRET") }
        var options = SlurmOptions()
        options.time = "00:05:00"
        guard case .started(let run) = executor.start(request(slurm: options, hidden: ["RETRAIN_TEST_SECRET"]), now: now) else {
            Issue.record("not started")
            return
        }
        #expect(run.slurmJob == "7")
        #expect(runner.calls.first?.contains("--time=00:05:00") == true)
        let environment = runner.environments.first.flatMap { $0 } ?? []
        #expect(!environment.isEmpty && !environment.contains { $0.hasPrefix("RETRAIN_TEST_SECRET=") })
    }

    @Test func anAttemptWithAJobRecordIsNeverSubmittedAgain() {
        runner.answer("sbatch", stdout: "42\n")
        _ = executor.start(request(), now: now)
        let again = executor.start(request(), now: now)
        #expect(again == .alreadyStarted(run("churn@20261206T060000Z", job: "42")))
        #expect(runner.calls(of: "sbatch").count == 1)
    }

    /// Killed between sbatch and writing job.json: the folder is there, the record is not, and
    /// squeue knows the job by its name and the attempt in its comment.
    @Test func aSubmissionWhoseRecordWasLostIsFoundBySqueue() throws {
        let folder = root + "/reports/churn/churn@20261206T060000Z/attempt-2"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Attempt 1's job, attempt 2's, and one of the same run id in another repository.
        let other = "/elsewhere/reports/churn/churn@20261206T060000Z/attempt-2"
        runner.answer("squeue", stdout: "40|\(root)/reports/churn/churn@20261206T060000Z/attempt-1\n39|\(other)\n41|\(folder)\n")
        let start = executor.start(request(attempt: 2), now: now)
        #expect(start == .alreadyStarted(run("churn@20261206T060000Z", job: "41", attempt: 2)))
        #expect(runner.calls == [["squeue", "--noheader", "--states=all", "--name=churn@20261206T060000Z", "--format=%i|%k"]])
        #expect(SourceFile.readJSON(SlurmExecutor.JobRecord.self, folder + "/job.json")?.jobID == "41")
    }

    @Test func aClaimSlurmDoesNotKnowIsSubmittedButOneItCannotCheckIsNot() throws {
        try FileManager.default.createDirectory(atPath: root + "/reports/churn/churn@20261206T060000Z/attempt-1", withIntermediateDirectories: true)
        runner.answer("squeue", stdout: "")
        runner.answer("sbatch", stdout: "43\n")
        guard case .started(let run) = executor.start(request(), now: now) else {
            Issue.record("not submitted")
            return
        }
        #expect(run.slurmJob == "43")
        try FileManager.default.createDirectory(atPath: root + "/reports/churn/churn@20261206T070000Z/attempt-1", withIntermediateDirectories: true)
        runner.answer("squeue", stderr: "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", status: 1)
        let start = executor.start(request("churn@20261206T070000Z"), now: now)
        #expect(
            start
                == .unavailable(
                    "cannot tell whether an earlier pass submitted it: squeue: slurm_load_jobs error: Unable to contact slurm controller (connect failure)"
                ))
        #expect(runner.calls(of: "sbatch").count == 1)
    }

    @Test func anUnreachableControllerIsUnavailableAndARefusalAFailure() {
        runner.answer(
            "sbatch",
            stderr:
                "sbatch: error: invalid partition specified: nosuch\nsbatch: error: Batch job submission failed: Invalid partition name specified\n",
            status: 1)
        #expect(executor.start(request(), now: now) == .failed("sbatch: error: invalid partition specified: nosuch"))
        runner.answer(
            "sbatch", stderr: "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n", status: 1)
        let slurm = executor
        let down = RunStart.unavailable("sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)")
        #expect(slurm.start(request("churn@20261206T070000Z"), now: now) == down)
        // The rest of the pass does not wait for the controller again.
        #expect(slurm.start(request("churn@20261206T080000Z"), now: now) == down)
        #expect(runner.calls(of: "sbatch").count == 2)
    }

    @Test func noSbatchIsUnavailableWithWhatToInstall() {
        let start = executor.start(request(), now: now)
        guard case .unavailable(let why) = start else {
            Issue.record("\(start)")
            return
        }
        #expect(why == "sbatch not found on PATH; install Slurm's client commands on this machine (Debian: slurm-client), or set `executor: local`")
    }

    /// Many jobs, one squeue call; scontrol only for the one that ended without an outcome.
    @Test func everyJobIsObservedWithOneSqueueCall() throws {
        let runs = (1...5).map { run("churn@2026120\($0)T060000Z", job: "\(100 + $0)") }
        for r in runs { try FileManager.default.createDirectory(atPath: root + "/" + r.folder!, withIntermediateDirectories: true) }
        // The fifth left its outcome: not asked about at all.
        let outcome = TrainerOutcome(status: .trained, reason: nil, exitCode: 0, metrics: ["auc": 0.8], startedAt: now, finishedAt: now)
        try AtomicFile.writeJSON(outcome, to: root + "/" + runs[4].folder! + "/outcome.json")
        runner.answer("squeue", stdout: "101|PENDING|Priority\n102|RUNNING|None\n103|COMPLETING|None\n104|FAILED|NonZeroExitCode\n")
        runner.answer(
            "scontrol",
            stdout:
                "JobId=104 JobName=churn@20261204T060000Z UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=127:0 RunTime=00:00:00 TimeLimit=00:31:00\n"
        )
        let seen = executor.observe(all: runs, now: now)
        #expect(runner.calls(of: "squeue") == [["squeue", "--noheader", "--states=all", "--jobs=101,102,103,104", "--format=%i|%T|%r"]])
        #expect(runner.calls(of: "scontrol") == [["scontrol", "show", "job", "--oneliner", "104"]])
        #expect(seen[runs[0].id] == .running && seen[runs[1].id] == .running && seen[runs[2].id] == .running)
        #expect(seen[runs[4].id] == .ended(outcome))
        guard case .ended(let failed)? = seen[runs[3].id] else {
            Issue.record("\(String(describing: seen[runs[3].id]))")
            return
        }
        #expect(failed.status == .failed && failed.exitCode == 127)
        #expect(
            failed.reason
                == "slurm: job 104 FAILED with exit 127 (is /opt/retrain it's/retrain installed on the node at that path?); see reports/churn/churn@20261204T060000Z/log.txt"
        )
    }

    @Test(arguments: [
        ("TIMEOUT", "timeout: Slurm job 9 reached its time limit (TIMEOUT)"),
        ("CANCELLED", "cancelled: Slurm job 9 was CANCELLED outside retrain"),
        ("NODE_FAIL", "node failure: Slurm job 9 ended NODE_FAIL"),
        ("PREEMPTED", "preempted: Slurm job 9 was PREEMPTED"),
        ("OUT_OF_MEMORY", "out of memory: Slurm job 9 ended OUT_OF_MEMORY; raise slurm.mem"),
        (
            "COMPLETED",
            "interrupted: Slurm job 9 COMPLETED, but no outcome reached reports/churn/c@1/attempt-1; is the run folder on a filesystem the compute node shares, at the same path?"
        ),
    ])
    func endStatesWithoutAnOutcomeSayWhatSlurmSaid(state: String, reason: String) {
        runner.answer("squeue", stdout: "9|\(state)|None\n")
        runner.answer("scontrol", stdout: "JobId=9 JobState=\(state) Reason=None ExitCode=0:15\n")
        let seen = executor.observe(run("c@1", job: "9"), now: now)
        #expect(seen == .ended(TrainerOutcome(status: .failed, reason: reason, exitCode: nil, metrics: nil, startedAt: now, finishedAt: now)))
    }

    @Test func aJobSlurmForgotIsAskedOfAccountingThenInterrupted() {
        // Asked alone, a forgotten id is an error, not an empty answer.
        runner.answer("squeue", stderr: "slurm_load_jobs error: Invalid job id specified\n", status: 1)
        runner.answer("scontrol", stderr: "slurm_load_jobs error: Invalid job id specified\n", status: 1)
        runner.answer("sacct", stderr: "Slurm accounting storage is disabled\n", status: 1)
        #expect(
            executor.observe(run("c@1", job: "9"), now: now)
                == .interrupted("interrupted: Slurm job 9 left the queue without an outcome in reports/churn/c@1/attempt-1"))
        #expect(runner.calls.map(\.[0]) == ["squeue", "scontrol", "sacct"])
        runner.answer("sacct", stdout: "9|OUT_OF_MEMORY|0:125\n")
        guard case .ended(let outcome) = executor.observe(run("c@1", job: "9"), now: now) else {
            Issue.record("not ended")
            return
        }
        #expect(outcome.reason == "out of memory: Slurm job 9 ended OUT_OF_MEMORY; raise slurm.mem")
    }

    /// A manual run noted in the journal before its job id was known: the id is read from job.json.
    @Test func aRunWithoutAJobIDInTheStateIsLookedUpByItsJobRecord() throws {
        runner.answer("sbatch", stdout: "77\n")
        _ = executor.start(request(), now: now)
        runner.answer("squeue", stdout: "77|RUNNING|None\n")
        #expect(executor.observe(run("churn@20261206T060000Z", job: nil), now: now) == .running)
        #expect(runner.calls(of: "squeue").first?.contains("--jobs=77") == true)
    }

    @Test func anUnreachableControllerLeavesRunsAsTheyAre() {
        runner.answer("squeue", stderr: "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n", status: 1)
        let seen = executor.observe(all: [run("a@1", job: "1"), run("b@1", job: "2")], now: now)
        #expect(
            seen["a@1"]
                == .unknown("cannot ask Slurm about job 1: squeue: slurm_load_jobs error: Unable to contact slurm controller (connect failure)"))
        #expect(seen.count == 2 && runner.calls.count == 1)
    }

    @Test func extraArgumentsComeFromTheAllowlist() {
        #expect(SlurmOptions.refusal(of: "--exclusive") == nil && SlurmOptions.refusal(of: "--nodelist=n01") == nil)
        #expect(SlurmOptions.refusal(of: "--output=/etc/passwd")?.contains("which retrain does not pass on") == true)
        #expect(SlurmOptions.refusal(of: "--wrap=rm -rf /")?.contains("which retrain does not pass on") == true)
        #expect(SlurmOptions.refusal(of: "-o")?.contains("write each as --name=value") == true)
    }

    @Test func theDefaultsGoUnderEachSchedulesOwn() {
        var defaults = SlurmOptions()
        defaults.partition = "cpu"
        defaults.account = "ml"
        defaults.extraArgs = ["--nice=10"]
        var own = SlurmOptions()
        own.partition = "gpu"
        own.extraArgs = ["--exclusive"]
        let merged = own.over(defaults)
        #expect(merged.partition == "gpu" && merged.account == "ml" && merged.extraArgs == ["--nice=10", "--exclusive"])
    }
}
