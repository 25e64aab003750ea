import FoundationEssentials
import Glibc
import Synchronization

/// Runs as Slurm batch jobs. Each attempt is `sbatch` of a script in its attempt folder that runs
/// `retrain __supervise` on that folder, the same work a local run does: the request, the
/// environment contract, the log, and the outcome the supervisor leaves in the folder, which must
/// be on a filesystem the compute nodes share with the reconciler.
///
/// An attempt is submitted at most once. The attempt folder is the claim (made before `sbatch`);
/// the job id goes to `job.json` beside it once `sbatch` answers, and to the state. A pass that
/// finds the folder without `job.json` (its reconciler was killed between `sbatch` and the write)
/// asks `squeue` for a job named after the run id whose comment is the attempt folder's path before
/// it submits anything.
///
/// Passes look at every job with one `squeue` call; `scontrol show job` only for jobs that ended
/// without an outcome or left the queue, and `sacct` only after that, where accounting exists.
public struct SlurmExecutor: RunExecutor {
    public let name = "slurm"
    public var pollSeconds: Double { 1 }
    /// The repository root, absolute: relative run paths are resolved from it.
    public let repositoryRoot: String
    /// The retrain binary the job runs (at the same path on the compute nodes).
    public let program: String
    /// When set, supervisors count time from the pass's instant (`--now`).
    public let clockBase: Bool
    /// Runs sbatch, squeue, scontrol, sacct and scancel.
    public let runner: any CommandRunner
    /// The longest a Slurm command may take before the controller is taken for unreachable.
    public var commandSeconds: Double = 60
    /// Why Slurm could not be reached, once a command found it so: the rest of the pass does not
    /// wait for it again (an unreachable controller takes sbatch 9 s and squeue 18 s to give up).
    let outage = Outage()

    /// Remembered for 30 seconds: `reconcile --wait` keeps one executor while Slurm comes back.
    final class Outage: Sendable {
        private let state = Mutex<(problem: String, at: Double)?>(nil)

        var problem: String? {
            state.withLock { known in
                guard let (problem, at) = known, ProcessRunner.monotonic() - at < 30 else { return nil }
                return problem
            }
        }

        func note(_ problem: String) { state.withLock { $0 = (problem, ProcessRunner.monotonic()) } }
    }

    public init(repositoryRoot: String, program: String, clockBase: Bool = false, runner: any CommandRunner = ProcessRunner()) {
        self.repositoryRoot = repositoryRoot
        self.program = program
        self.clockBase = clockBase
        self.runner = runner
    }

    /// The files a Slurm attempt adds to its folder.
    enum File {
        static let job = "job.json", script = "job.sh"
    }

    /// `job.json`: which job runs the attempt.
    struct JobRecord: Codable, Equatable {
        var jobID: String
        var submittedAt: Instant

        enum CodingKeys: String, CodingKey {
            case jobID = "job_id"
            case submittedAt = "submitted_at"
        }
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : repositoryRoot + "/" + path
    }

    /// The job's comment: the attempt folder's absolute path, which tells its job from another
    /// attempt's of the same run, and from a run of the same id in another repository on the cluster.
    func comment(_ trainer: TrainerRequest) -> String { absolute(trainer.attemptFolder) }

    // MARK: Starting

    public func start(_ request: RunRequest, now: Instant) -> RunStart {
        let trainer = request.trainer
        let folder = absolute(trainer.attemptFolder)
        var record = ActiveRun(
            id: trainer.runID, slot: request.slot, executor: name, startedAt: now, attempt: trainer.attempt, folder: trainer.attemptFolder)
        guard SourceFile.makeFolders(absolute(trainer.runFolder)) else {
            return .failed("cannot create \(trainer.runFolder): \(String(cString: strerror(errno)))")
        }
        if mkdir(folder, 0o755) != 0 {
            guard errno == EEXIST else { return .failed("cannot create \(trainer.attemptFolder): \(String(cString: strerror(errno)))") }
            if let job = SourceFile.readJSON(JobRecord.self, folder + "/" + File.job) {
                record.slurmJob = job.jobID
                return .alreadyStarted(record)
            }
            // Claimed and perhaps submitted by a pass that died before it wrote down the job id.
            switch findJob(trainer.runID, comment: comment(trainer)) {
            case .success(let id?):
                record.slurmJob = id
                try? AtomicFile.writeJSON(JobRecord(jobID: id, submittedAt: now), to: folder + "/" + File.job, durable: false)
                return .alreadyStarted(record)
            case .success(nil):
                // Not in Slurm's memory: if it ran, it left its marks; otherwise it was never submitted.
                if SourceFile.exists(folder + "/" + LocalExecutor.File.outcome) || SourceFile.exists(folder + "/" + LocalExecutor.File.supervisor) {
                    return .alreadyStarted(record)
                }
            case .failure(let why):
                return .unavailable("cannot tell whether an earlier pass submitted it: \(why.message)")
            }
        }
        do {
            try AtomicFile.writeJSON(request, to: folder + "/" + LocalExecutor.File.request, durable: false)
            try AtomicFile.write(Array(script(request, now: now).utf8), to: folder + "/" + File.script, durable: false)
        } catch {
            return .failed(error.description)
        }
        chmod(folder + "/" + File.script, 0o755)
        if let known = outage.problem { return .unavailable(known) }
        let output = ask(sbatchArguments(request), environment: environment(hiding: trainer.hiddenEnvironment ?? []))
        guard output.succeeded, let id = Self.jobID(parsable: output.stdout) else {
            let said = Self.said("sbatch", output)
            // The folder stays: the next pass asks squeue for the job before submitting again, in
            // case this one was taken after all.
            if Self.unreachable(output) { return .unavailable(said) }
            return .failed(said)
        }
        record.slurmJob = id
        // Not fsynced: after a crash the next pass finds the job by its name.
        try? AtomicFile.writeJSON(JobRecord(jobID: id, submittedAt: now), to: folder + "/" + File.job, durable: false)
        return .started(record)
    }

    /// The batch script: the supervisor on the attempt folder, nothing from the schedule file in
    /// shell syntax (every word single-quoted).
    func script(_ request: RunRequest, now: Instant) -> String {
        var words = [program, "__supervise", absolute(request.trainer.attemptFolder)]
        if clockBase { words += ["--now", now.description] }
        return """
            #!/bin/sh
            # retrain: \(request.trainer.runID), attempt \(request.trainer.attempt) (written by retrain; Slurm runs it on a node
            # that sees this folder at the same path).
            exec \(words.map(Self.quoted).joined(separator: " "))

            """
    }

    /// `sbatch`'s command line for `request`.
    func sbatchArguments(_ request: RunRequest) -> [String] {
        let trainer = request.trainer
        let options = request.slurm ?? SlurmOptions()
        var arguments = [
            "sbatch", "--parsable", "--job-name=\(trainer.runID)", "--comment=\(comment(trainer))",
            "--chdir=\(repositoryRoot)", "--output=\(absolute(trainer.logPath))", "--open-mode=append", "--no-requeue", "--export=ALL",
        ]
        if let value = options.partition { arguments.append("--partition=\(value)") }
        if let value = options.account { arguments.append("--account=\(value)") }
        if let value = options.qos { arguments.append("--qos=\(value)") }
        if let value = options.cpus { arguments.append("--cpus-per-task=\(value)") }
        if let value = options.gpus { arguments.append("--gpus=\(value)") }
        if let value = options.gres { arguments.append("--gres=\(value)") }
        if let value = options.mem { arguments.append("--mem=\(value)") }
        if let value = options.constraint { arguments.append("--constraint=\(value)") }
        arguments.append("--time=\(options.time ?? Self.timeLimit(seconds: trainer.timeoutSeconds))")
        arguments += options.extraArgs
        arguments.append(absolute(trainer.attemptFolder) + "/" + File.script)
        return arguments
    }

    /// `--time` for a run's `timeout`: whole minutes, one more than it takes, so that the
    /// supervisor's own timeout (which stops the trainer and records why) comes first.
    static func timeLimit(seconds: Int) -> String {
        String((seconds + 59) / 60 + 1)
    }

    /// This process's environment without `hidden` (the notification secrets): sbatch copies what
    /// it is given into the job, and Slurm keeps it in its state files.
    func environment(hiding hidden: [String]) -> [String]? {
        guard !hidden.isEmpty else { return nil }
        let names = Set(hidden)
        var kept: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "="), !names.contains(String(text[..<equals])) { kept.append(text) }
            cursor += 1
        }
        return kept
    }

    /// The job id `sbatch --parsable` printed (`12` or `12;cluster`).
    static func jobID(parsable: String) -> String? {
        let first = parsable.split(whereSeparator: \.isNewline).first.map { $0.split(separator: ";").first ?? $0 } ?? ""
        return !first.isEmpty && first.allSatisfy { $0.isASCII && $0.isNumber } ? String(first) : nil
    }

    /// Runs one Slurm command, unless Slurm was found unreachable earlier in this pass (then it
    /// answers at once with that problem). An unreachable answer is remembered.
    func ask(_ argv: [String], environment: [String]? = nil) -> CommandOutput {
        if let known = outage.problem { return CommandOutput(status: nil, stdout: "", stderr: known, problem: known) }
        var output = runner.run(argv, environment: environment, timeout: commandSeconds)
        if output.status == nil && output.stderr.isEmpty, let problem = output.problem, problem.hasSuffix("not found on PATH") {
            output.problem = "\(problem); install Slurm's client commands on this machine (Debian: slurm-client), or set `executor: local`"
        }
        if Self.unreachable(output) { outage.note(Self.said(argv[0], output)) }
        return output
    }

    /// What `command` said went wrong, led by its name (Slurm's own messages begin with it).
    static func said(_ command: String, _ output: CommandOutput) -> String {
        let complaint = output.complaint
        return complaint.hasPrefix(command) ? complaint : "\(command): \(complaint)"
    }

    /// Whether a failed Slurm command failed for want of Slurm (missing command, controller
    /// unreachable or busy) rather than refusing what it was asked.
    static func unreachable(_ output: CommandOutput) -> Bool {
        if output.status == nil { return true }
        let phrases = [
            "Unable to contact slurm controller", "Socket timed out", "Connection refused", "Zero Bytes were transmitted",
            "temporarily unable to accept", "Resource temporarily unavailable", "Communication connection failure",
            "Slurmctld is not responding", "Munge", "munge",
        ]
        return phrases.contains { output.stderr.contains($0) }
    }

    /// The job named `runID` with `comment` (its attempt folder) that Slurm knows, from `squeue --name`.
    func findJob(_ runID: String, comment: String) -> Result<String?, SlurmError> {
        let output = ask(["squeue", "--noheader", "--states=all", "--name=\(runID)", "--format=%i|%k"])
        guard output.succeeded else { return .failure(SlurmError(Self.said("squeue", output))) }
        for line in output.stdout.split(whereSeparator: \.isNewline) {
            guard let bar = line.firstIndex(of: "|") else { continue }
            if line[line.index(after: bar)...] == comment { return .success(String(line[..<bar])) }
        }
        return .success(nil)
    }

    // MARK: Cancelling

    public func cancel(_ run: ActiveRun) -> Result<String, CancelRefusal> {
        if case .ended? = outcome(of: run) {
            return .failure(CancelRefusal("it has ended already; the next `retrain reconcile` records how"))
        }
        guard let job = run.slurmJob else { return .failure(CancelRefusal("no Slurm job id was recorded for it")) }
        let output = ask(["scancel", job])
        guard output.succeeded else { return .failure(CancelRefusal("\(Self.said("scancel", output)); nothing was cancelled")) }
        return .success("Slurm job \(job) cancelled (scancel)")
    }

    // MARK: Observing

    public func observe(_ run: ActiveRun, now: Instant) -> RunObservation {
        observe(all: [run], now: now)[run.id] ?? .unknown("no answer")
    }

    public func observe(all runs: [ActiveRun], now: Instant) -> [String: RunObservation] {
        var seen: [String: RunObservation] = [:]
        var asking: [(run: ActiveRun, job: String)] = []
        for run in runs {
            if let ended = outcome(of: run) {
                seen[run.id] = ended
            } else if let job = run.slurmJob ?? recordedJob(run) {
                asking.append((run, job))
            } else {
                seen[run.id] = .interrupted("interrupted: its Slurm job id was never recorded and it left no outcome")
            }
        }
        guard !asking.isEmpty else { return seen }
        let states: [String: JobState]
        switch queueStates(asking.map(\.job)) {
        case .success(let found): states = found
        case .failure(let problem):
            for (run, job) in asking { seen[run.id] = .unknown("cannot ask Slurm about job \(job): \(problem.message)") }
            return seen
        }
        var unaccounted: [(run: ActiveRun, job: String)] = []
        for (run, job) in asking {
            guard let state = states[job] else {
                unaccounted.append((run, job))
                continue
            }
            if !state.ended {
                seen[run.id] = .running
            } else {
                // It may have written its outcome since it was first looked for.
                seen[run.id] = outcome(of: run) ?? ended(run, job: job, state: state.merging(detail(job)), now: now)
            }
        }
        // Gone from the queue: scontrol for each, then sacct once for what it did not know.
        var forgotten: [(run: ActiveRun, job: String)] = []
        for (run, job) in unaccounted {
            if let ended = outcome(of: run) {
                seen[run.id] = ended
            } else if let state = detail(job), state.ended {
                seen[run.id] = ended(run, job: job, state: state, now: now)
            } else {
                forgotten.append((run, job))
            }
        }
        let accounted = forgotten.isEmpty ? [:] : accounting(forgotten.map(\.job))
        for (run, job) in forgotten {
            if let state = accounted[job], state.ended {
                seen[run.id] = ended(run, job: job, state: state, now: now)
            } else {
                seen[run.id] = .interrupted("interrupted: Slurm job \(job) left the queue without an outcome in \(run.folder ?? "its run folder")")
            }
        }
        return seen
    }

    /// The job id in the attempt folder's `job.json`: for a run the state learnt of from the
    /// journal of manual runs, written before its job id was known.
    func recordedJob(_ run: ActiveRun) -> String? {
        run.folder.flatMap { SourceFile.readJSON(JobRecord.self, absolute($0) + "/" + File.job)?.jobID }
    }

    /// The outcome the supervisor left, if it did.
    func outcome(of run: ActiveRun) -> RunObservation? {
        guard let relative = run.folder else { return nil }
        switch SourceFile.read(absolute(relative) + "/" + LocalExecutor.File.outcome, limit: 1 << 20) {
        case .success(let bytes):
            if let outcome = try? JSONDecoder().decode(TrainerOutcome.self, from: Data(bytes)) { return .ended(outcome) }
            return .interrupted("interrupted: its outcome file \(relative)/\(LocalExecutor.File.outcome) is damaged")
        case .failure:
            return nil
        }
    }

    /// A job that ended without an outcome, as a failed attempt that says what Slurm said.
    func ended(_ run: ActiveRun, job: String, state: JobState, now: Instant) -> RunObservation {
        let log = run.folder.map { AtomicFile.folderOf($0) + "/log.txt" } ?? "its log.txt"
        let reason: String
        switch state.name {
        case "COMPLETED":
            reason =
                "interrupted: Slurm job \(job) COMPLETED, but no outcome reached \(run.folder ?? "the run folder"); is the run folder on a filesystem the compute node shares, at the same path?"
        case "FAILED":
            let code = state.exitCode.map { " with exit \($0)" } ?? ""
            let hint = state.exitCode == 127 || state.exitCode == 126 ? " (is \(program) installed on the node at that path?)" : ""
            reason = "slurm: job \(job) FAILED\(code)\(hint); see \(log)"
        case "TIMEOUT": reason = "timeout: Slurm job \(job) reached its time limit (TIMEOUT)"
        case "CANCELLED": reason = "cancelled: Slurm job \(job) was CANCELLED outside retrain"
        case "NODE_FAIL": reason = "node failure: Slurm job \(job) ended NODE_FAIL"
        case "PREEMPTED": reason = "preempted: Slurm job \(job) was PREEMPTED"
        case "OUT_OF_MEMORY": reason = "out of memory: Slurm job \(job) ended OUT_OF_MEMORY; raise slurm.mem"
        default: reason = "slurm: job \(job) ended \(state.name)"
        }
        return .ended(
            TrainerOutcome(
                status: .failed, reason: reason, exitCode: state.name == "FAILED" ? state.exitCode : nil, metrics: nil,
                startedAt: run.startedAt, finishedAt: now))
    }

    /// The states of `jobs`, by id, from one `squeue` call (jobs Slurm no longer remembers are left out).
    func queueStates(_ jobs: [String]) -> Result<[String: JobState], SlurmError> {
        let output = ask(["squeue", "--noheader", "--states=all", "--jobs=\(jobs.joined(separator: ","))", "--format=%i|%T|%r"])
        // One id Slurm has forgotten, asked for alone, is an error rather than an empty answer.
        if !output.succeeded && output.stderr.contains("Invalid job id") { return .success([:]) }
        guard output.succeeded else { return .failure(SlurmError(Self.said("squeue", output))) }
        var states: [String: JobState] = [:]
        for line in output.stdout.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            states[fields[0]] = JobState(name: fields[1], exitCode: nil)
        }
        return .success(states)
    }

    /// `scontrol show job -o JOB`: its state and exit code, while Slurm remembers it.
    func detail(_ job: String) -> JobState? {
        let output = ask(["scontrol", "show", "job", "--oneliner", job])
        guard output.succeeded else { return nil }
        var fields: [Substring: Substring] = [:]
        for word in output.stdout.split(whereSeparator: { $0 == " " || $0.isNewline }) {
            guard let equals = word.firstIndex(of: "=") else { continue }
            fields[word[..<equals]] = word[word.index(after: equals)...]
        }
        guard let name = fields["JobState"] else { return nil }
        return JobState(name: String(name), exitCode: fields["ExitCode"].flatMap(JobState.exitCode))
    }

    /// `sacct` for jobs the controller forgot, where accounting exists; empty where it does not.
    func accounting(_ jobs: [String]) -> [String: JobState] {
        let output = ask([
            "sacct", "--noheader", "--allocations", "--parsable2", "--jobs=\(jobs.joined(separator: ","))", "--format=JobID,State,ExitCode",
        ])
        guard output.succeeded else { return [:] }
        var states: [String: JobState] = [:]
        for line in output.stdout.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            // "CANCELLED by 0"
            let name = fields[1].split(separator: " ").first.map(String.init) ?? String(fields[1])
            states[String(fields[0])] = JobState(name: name, exitCode: JobState.exitCode(fields[2]))
        }
        return states
    }

    /// A job's state as Slurm names it (`RUNNING`, `TIMEOUT`…), and its exit code once known.
    struct JobState: Equatable {
        var name: String
        var exitCode: Int32?

        /// The states a job does not leave.
        static let endStates: Set<String> = [
            "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "REVOKED",
        ]

        var ended: Bool { Self.endStates.contains(name) }

        func merging(_ other: JobState?) -> JobState {
            guard let other, other.name == name else { return self }
            return JobState(name: name, exitCode: exitCode ?? other.exitCode)
        }

        /// `7:0` (exit code, signal) → 7.
        static func exitCode(_ text: Substring) -> Int32? {
            text.split(separator: ":").first.flatMap { Int32($0) }
        }
    }

    struct SlurmError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// `word` single-quoted for sh.
    static func quoted(_ word: String) -> String {
        "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
