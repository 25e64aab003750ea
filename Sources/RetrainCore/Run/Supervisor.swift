import CProcess
import FoundationEssentials
import Glibc
import Synchronization

/// The trainer's process group while it runs (0 before), for `Supervisor.endOnTermination`'s handler.
private let trainerGroup = Atomic<Int32>(0)
/// The signal that told the supervisor to stop (0: none).
private let stoppedBy = Atomic<Int32>(0)

/// The detached side of a local run: `retrain __supervise ATTEMPT_FOLDER`. It reads the request the
/// reconciler left, records itself, checks the data, runs the trainer, and leaves `outcome.json`,
/// the only thing a later pass needs. It writes nothing outside the run's folders.
public enum Supervisor {
    /// Runs the attempt in `folder` (absolute) to its end. Returns the process exit code: 0 when the
    /// model trained, 1 when the run failed (the outcome says why), 2 when there was no request.
    /// `program` is this binary: the built-in trainer is `program train`, run under the same
    /// contract, timeout and log as an external command.
    public static func run(folder: String, clock: some InstantClock, program: String) async -> Int32 {
        let requestPath = folder + "/" + LocalExecutor.File.request
        guard let request = SourceFile.readJSON(RunRequest.self, requestPath) else {
            writeStderr("retrain __supervise: no readable \(requestPath)\n")
            return 2
        }
        let trainer = request.trainer
        // What the trainer leaves behind comes back to this process (see `endLeftovers`).
        if retrain_become_subreaper() != 0 {
            writeStderr(
                "retrain __supervise: warning: cannot become a subreaper (\(String(cString: strerror(errno)))); processes the trainer detaches may outlive the run\n"
            )
        }
        endOnTermination()
        let started = clock.now()
        let stopwatch = Stopwatch()
        let record = SupervisorRecord(pid: getpid(), host: Host.name, startedAt: started.description, trainerPID: nil)
        let recordPath = folder + "/" + LocalExecutor.File.supervisor
        try? AtomicFile.writeJSON(record, to: recordPath, durable: false)  // a liveness note, not a result
        writeStderr("== \(trainer.runID) attempt \(trainer.attempt): started \(started) on \(record.host) (\(request.reason)) ==\n")

        var outcome: TrainerOutcome
        var fingerprint: DataFingerprint?
        // A URI (s3://…) is the external trainer's to read; a file is fingerprinted first. The
        // built-in trainer reads only files inside the repository, links resolved: what a merged
        // schedule names must not make it read (and log the columns of) a file elsewhere.
        let local = trainer.data.flatMap { $0.contains("://") ? nil : $0 }
        let roots = trainer.dataRoots ?? []
        let escape = trainer.command.isEmpty ? local.flatMap { FileSystem.resolvedOutside($0, root: trainer.repositoryRoot, dataRoots: roots) } : nil
        if let data = local, let escape {
            let inside = roots.isEmpty ? "inside it only" : "inside it or retrain.yaml's data_roots only"
            outcome = TrainerOutcome(
                status: .failed, reason: "data: \(data): it resolves to \(escape), outside the repository; the built-in trainer reads data \(inside)",
                exitCode: nil, metrics: nil, startedAt: started, finishedAt: clock.now())
        } else if let data = local,
            case .failure(let problem) = DataFingerprint.of(absolute(data, trainer), displayPath: data).map({ fingerprint = $0 })
        {
            outcome = TrainerOutcome(
                status: .failed, reason: "data: \(data): \(problem.reason)", exitCode: nil, metrics: nil,
                startedAt: started, finishedAt: clock.now())
        } else {
            var run = trainer
            if run.command.isEmpty { run.command = [program, "train"] }
            outcome = await ExternalTrainer.run(run, clock: clock) { pid in
                trainerGroup.store(pid, ordering: .relaxed)
                var withTrainer = record
                withTrainer.trainerPID = pid
                try? AtomicFile.writeJSON(withTrainer, to: recordPath, durable: false)
            }
        }
        if stoppedBy.load(ordering: .relaxed) != 0 {
            // The trainer ended because this process was told to stop: no outcome, so the pass
            // that looks says why (Slurm's TIMEOUT or CANCELLED, or an interrupted local run).
            _ = endLeftovers()
            return 128 + stoppedBy.load(ordering: .relaxed)
        }
        outcome.data = fingerprint
        outcome.elapsedSeconds = stopwatch.seconds
        let left = endLeftovers()
        if !left.isEmpty {
            writeStderr(
                "== ended \(left.count) process\(left.count == 1 ? "" : "es") the trainer left running (pid \(left.map(String.init).joined(separator: ", "))) ==\n"
            )
        }
        let ending = outcome.status == .trained ? "trained" : "failed: \(outcome.reason ?? "")"
        do {
            try AtomicFile.writeJSON(outcome, to: folder + "/" + LocalExecutor.File.outcome)
        } catch {
            writeStderr("retrain __supervise: \(error); the run will be recorded as interrupted\n")
            return 1
        }
        writeStderr("== \(trainer.runID) attempt \(trainer.attempt): \(ending) at \(outcome.finishedAt) ==\n")
        return outcome.status == .trained ? 0 : 1
    }

    /// A supervisor told to stop (SIGTERM from Slurm at a job's time limit or `scancel`, SIGINT,
    /// SIGHUP) stops its trainer first: the trainer runs in a session of its own, which a signal to
    /// the supervisor's group does not reach. Its group gets SIGTERM, then SIGKILL after up to 2 s;
    /// then the supervisor ends what the trainer left (it is their subreaper) and exits without an
    /// outcome, and the pass that looks at the run says why it ended (Slurm's TIMEOUT or
    /// CANCELLED; `interrupted` for a local run).
    static func endOnTermination() {
        for stop in [SIGTERM, SIGINT, SIGHUP] {
            signal(stop) { received in
                stoppedBy.store(received, ordering: .relaxed)
                let notice: StaticString = "== retrain __supervise: told to stop; stopping the trainer ==\n"
                _ = write(2, notice.utf8Start, notice.utf8CodeUnitCount)
                let group = trainerGroup.load(ordering: .relaxed)
                if group > 0 {
                    kill(-group, SIGTERM)
                    var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
                    var waited = 0
                    while waited < 40 && kill(-group, 0) == 0 {
                        nanosleep(&pause, nil)
                        waited += 1
                    }
                    kill(-group, SIGKILL)
                    // The trainer is gone: the supervisor's own path now ends what it left running
                    // (`endLeftovers`) and exits; this one waits up to 3 s for that.
                    waited = 0
                    while waited < 60 {
                        nanosleep(&pause, nil)
                        waited += 1
                    }
                }
                _exit(128 + received)
            }
        }
    }

    /// Ends every process still below this one once the trainer has ended: the trainer's process
    /// group is swept already, but a daemon that called `setsid` left it; as this process is a
    /// subreaper, such orphans are its children now. Each is killed and reaped, and what it leaves
    /// comes back in turn, until none is left (bounded). Returns the pids ended.
    static func endLeftovers() -> [Int32] {
        var ended: [Int32] = []
        for _ in 0..<50 {
            let children = childPIDs()
            guard !children.isEmpty else { break }
            for pid in children {
                kill(pid, SIGKILL)
                ended.append(pid)
            }
            // Reaped, waiting at most 5 s for each (one stuck in the kernel is left, not waited on).
            for pid in children {
                var status: Int32 = 0
                var tries = 0
                while waitpid(pid, &status, WNOHANG) == 0 && tries < 500 {
                    usleep(10_000)
                    tries += 1
                }
            }
        }
        return ended
    }

    /// This process's children, from `/proc/self/task/*/children` (every thread's).
    static func childPIDs() -> [Int32] {
        guard let tasks = opendir("/proc/self/task") else { return [] }
        defer { closedir(tasks) }
        var pids: [Int32] = []
        while let entry = readdir(tasks) {
            let name = FileSystem.nameString(of: entry)
            guard Int(name) != nil, case .success(let bytes) = SourceFile.read("/proc/self/task/\(name)/children", limit: 1 << 20) else { continue }
            pids += bytes.split(separator: UInt8(ascii: " ")).compactMap { Int32(String(decoding: $0, as: UTF8.self)) }
        }
        return Array(Set(pids)).sorted()
    }

    /// Elapsed time on CLOCK_MONOTONIC (steady when the wall clock jumps), to the millisecond.
    struct Stopwatch {
        let start = Stopwatch.reading()

        var seconds: Double { ((Stopwatch.reading() - start) * 1000).rounded() / 1000 }

        static func reading() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_MONOTONIC, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }

    static func absolute(_ path: String, _ trainer: TrainerRequest) -> String {
        path.hasPrefix("/") ? path : trainer.repositoryRoot + "/" + path
    }

    static func writeStderr(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    }
}
