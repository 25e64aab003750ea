import FoundationEssentials
import Glibc
import Subprocess
import Synchronization
import SystemPackage

/// Runs an external trainer by DESIGN.md's contract: argv without a shell, in the repository root,
/// the `RETRAIN_*` environment, output to the run's log, a JSON object of numbers as metrics, and on
/// timeout the trainer's whole process group stopped (TERM, then KILL).
public enum ExternalTrainer {
    enum Ending: Sendable {
        case exited(TerminationStatus)
        case timedOut
        case launchFailed(String)
    }

    /// The trainer's pid, shared between the task that runs it and the one that times it out.
    final class LeaderPID: Sendable {
        let value = Atomic<Int32>(0)
    }

    /// Why a metrics file is not usable.
    struct MetricsProblem: Error { let message: String }

    /// Seconds between TERM and KILL when stopping a trainer.
    public static let killGraceSeconds = 5

    /// Runs `request` to its end and says how it went. Never throws: every failure is an outcome.
    /// `onStart` receives the trainer's pid, which is also its process group's id, once it runs.
    public static func run(_ request: TrainerRequest, clock: some InstantClock, onStart: @escaping @Sendable (Int32) -> Void = { _ in }) async
        -> TrainerOutcome
    {
        let started = clock.now()
        func failed(_ reason: String, exit: Int32? = nil) -> TrainerOutcome {
            TrainerOutcome(status: .failed, reason: reason, exitCode: exit, metrics: nil, startedAt: started, finishedAt: clock.now())
        }
        guard let program = request.command.first else { return failed("no command") }
        // Every run path is relative to the repository root, whatever the caller's directory.
        for folder in [request.attemptFolder, request.outputFolder] where !SourceFile.makeFolders(absolute(folder, request)) {
            return failed("cannot create \(folder): \(String(cString: strerror(errno)))")
        }
        do {
            try AtomicFile.write(Array((request.paramsJSON + "\n").utf8), to: absolute(request.paramsPath, request), durable: false)
        } catch {
            return failed(error.description)
        }
        unlink(absolute(request.metricsPath, request))
        let log = open(absolute(request.logPath, request), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { return failed("cannot open \(request.logPath): \(String(cString: strerror(errno)))") }
        // The output reaches the log through a pump that caps it (the first 4 MB, the last 1 MB).
        guard let pump = LogPump(log: log) else {
            close(log)
            return failed("cannot make a pipe for the trainer's output: \(String(cString: strerror(errno)))")
        }
        let output = FileDescriptor(rawValue: pump.writeFD)

        var environment: [Environment.Key: String?] = [
            "RETRAIN_SCHEDULE": request.schedule, "RETRAIN_RUN_ID": request.runID, "RETRAIN_MODEL": request.model,
            "RETRAIN_PARAMS": absolute(request.paramsPath, request), "RETRAIN_OUTPUT": absolute(request.outputFolder, request),
            "RETRAIN_METRICS": absolute(request.metricsPath, request),
        ]
        environment["RETRAIN_DATA"] = request.data
        // The lifecycle's part: which slot, the champion to judge on the same holdout, and the
        // data the previous trained run read. Unset (not inherited) when there is none.
        environment["RETRAIN_SLOT"] = .some(request.slot?.description ?? "")
        let championFolder = request.champion.map { absolute($0, request) }
        let championThere = championFolder.map { FileSystem.isDirectory($0) } ?? false
        environment["RETRAIN_CHAMPION"] = .some(championThere ? championFolder : nil)
        environment["RETRAIN_PREVIOUS_DATA_SHA256"] = .some(request.previousDataSHA256)
        environment["RETRAIN_TARGET"] = request.target
        if let features = request.features { environment["RETRAIN_FEATURES"] = JSONValue.array(features.map(JSONValue.string)).compact }
        // The notification secrets stay with retrain: a trainer that prints its environment (into
        // log.txt, under reports/) must not publish a webhook URL.
        for name in request.hiddenEnvironment ?? [] where !name.hasPrefix("RETRAIN_") {
            environment[Environment.Key(stringLiteral: name)] = .some(nil)
        }
        var options = PlatformOptions()
        options.createSession = true  // its own process group, so a timeout stops everything it started
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(killGraceSeconds))]
        let platform = options
        let executable = Executable.resolving(program, in: request.repositoryRoot)
        let arguments = Arguments(Array(request.command.dropFirst()))
        let workingDirectory = FilePath(request.repositoryRoot)
        let env = Environment.inherit.updating(environment)
        let timeout = request.timeoutSeconds
        // The leader's pid, which is also its group's id (createSession): needed to sweep the group
        // after a timeout, when the cancelled run throws instead of returning.
        let leader = LeaderPID()

        let ending: Ending = await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        executable, arguments: arguments, environment: env, workingDirectory: workingDirectory,
                        platformOptions: platform, input: .none,
                        output: .fileDescriptor(output, closeAfterSpawningProcess: false),
                        error: .fileDescriptor(output, closeAfterSpawningProcess: false)
                    ) { execution -> pid_t in
                        leader.value.store(execution.processIdentifier.value, ordering: .relaxed)
                        onStart(execution.processIdentifier.value)
                        return execution.processIdentifier.value
                    }
                    // The leader is gone; sweep whatever it left in its group.
                    kill(-result.closureResult, SIGKILL)
                    return .exited(result.terminationStatus)
                } catch {
                    return .launchFailed("\(error)")
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return Task.isCancelled ? nil : .timedOut
            }
            let first = await group.next()!
            group.cancelAll()
            if case .timedOut? = first {
                _ = await group.next()  // the cancelled run, after its teardown (TERM, then KILL)
                // The teardown stops once the leader is dead; a child that ignored TERM is still there.
                let pid = leader.value.load(ordering: .relaxed)
                if pid > 0 { kill(-pid, SIGKILL) }
                return .timedOut
            }
            return first ?? .timedOut
        }
        // The trainer's group is gone: what it wrote is read, and the log closed.
        pump.finish()
        close(log)

        switch ending {
        case .launchFailed(let why):
            appendLog("retrain: cannot start \(program): \(why)\n", request)
            return failed("cannot start \(program): \(why)")
        case .timedOut:
            appendLog("retrain: stopped after the \(TimeSpan(seconds: timeout)) timeout\n", request)
            return failed("timeout after \(TimeSpan(seconds: timeout))")
        case .exited(let status):
            switch status {
            case .exited(0):
                switch readMetrics(absolute(request.metricsPath, request)) {
                case .success(let file):
                    var outcome = TrainerOutcome(
                        status: .trained, reason: nil, exitCode: 0, metrics: file.metrics, startedAt: started, finishedAt: clock.now())
                    if let champion = request.champion {
                        outcome.championRun = String(champion.split(separator: "/").last ?? "")
                        outcome.championMetrics = file.champion
                        outcome.championUnscored =
                            file.champion != nil
                            ? nil
                            : !championThere
                                ? "its artifact folder \(champion) is gone"
                                : file.championUnscored
                                    ?? "the trainer did not score it on this holdout (see the champion object of the metrics contract)"
                    }
                    return outcome
                case .failure(let problem):
                    return failed(problem.message, exit: 0)
                }
            case .exited(let code):
                return failed("exit \(code)", exit: code)
            case .signaled(let signal):
                return failed("killed by signal \(signal)")
            @unknown default:
                return failed("ended: \(status)")
            }
        }
    }

    /// What a metrics file holds: the run's metrics, and optionally the champion's metrics on the
    /// same holdout (`"champion": {…}`) or why the trainer could not score it (`"champion_unscored"`).
    struct MetricsFile: Equatable {
        var metrics: [String: Double]
        var champion: [String: Double]? = nil
        var championUnscored: String? = nil
    }

    /// The metrics file as a JSON object of finite numbers (with the optional `champion` object of
    /// numbers and `champion_unscored` text), or why it is not one.
    static func readMetrics(_ path: String) -> Result<MetricsFile, MetricsProblem> {
        let bytes: [UInt8]
        switch SourceFile.read(path, limit: 1 << 20) {
        case .success(let b): bytes = b
        case .failure(.missing):
            return .failure(
                MetricsProblem(message: "exit 0 but no metrics file: the trainer must write a JSON object of numbers to $RETRAIN_METRICS"))
        case .failure(.tooLarge(let size, let limit)):
            // Nothing reads it: it is not left to fill the reports folder.
            unlink(path)
            return .failure(
                MetricsProblem(
                    message: "the metrics file is \(size) bytes, over the \(limit / 1024) KB a JSON object of numbers needs; it was removed"))
        case .failure(.unreadable(let reason)): return .failure(MetricsProblem(message: "cannot read the metrics file: \(reason)"))
        }
        guard case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            let start = String(decoding: bytes.prefix(60), as: UTF8.self)
            return .failure(MetricsProblem(message: "the metrics file is not a JSON object of numbers (it starts: \(start.debugDescription))"))
        }
        func numbers(_ members: [JSONValue.Member], in place: String) -> Result<[String: Double], MetricsProblem> {
            var metrics: [String: Double] = [:]
            for member in members {
                // Names go into tables, pages, headers and metrics.prom as they are.
                if member.key.isEmpty || member.key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    return .failure(
                        MetricsProblem(
                            message:
                                "\(place)metric name \(member.key.debugDescription) is empty or holds a control character; name metrics with printable text such as auc or val_loss"
                        ))
                }
                switch member.value {
                case .int(let i): metrics[member.key] = Double(i)
                case .number(let d) where d.isFinite: metrics[member.key] = d
                case .number: return .failure(MetricsProblem(message: "\(place)metric '\(member.key)' is not a finite number"))
                default:
                    return .failure(
                        MetricsProblem(
                            message:
                                "\(place)'\(member.key)' is not a number; the metrics file is a JSON object of numbers (and optionally \"champion\": {…} of numbers, \"champion_unscored\": \"why\")"
                        ))
                }
            }
            return .success(metrics)
        }
        var file = MetricsFile(metrics: [:])
        var plain: [JSONValue.Member] = []
        for member in members {
            switch (member.key, member.value) {
            case ("champion", .object(let inner)):
                switch numbers(inner, in: "champion: ") {
                case .success(let champion): file.champion = champion
                case .failure(let problem): return .failure(problem)
                }
            case ("champion", _):
                return .failure(
                    MetricsProblem(message: "'champion' must be an object of the champion's metrics on the same holdout, like {\"auc\": 0.81}"))
            case ("champion_unscored", .string(let why)): file.championUnscored = String(why.prefix(500))
            case ("champion_unscored", _):
                return .failure(MetricsProblem(message: "'champion_unscored' must be text: why the champion was not scored"))
            default: plain.append(member)
            }
        }
        switch numbers(plain, in: "") {
        case .success(let metrics): file.metrics = metrics
        case .failure(let problem): return .failure(problem)
        }
        guard !file.metrics.isEmpty else { return .failure(MetricsProblem(message: "the metrics file is an empty object: no metric to check")) }
        return .success(file)
    }

    static func absolute(_ path: String, _ request: TrainerRequest) -> String {
        path.hasPrefix("/") ? path : request.repositoryRoot + "/" + path
    }

    static func appendLog(_ text: String, _ request: TrainerRequest) {
        let fd = open(absolute(request.logPath, request), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        close(fd)
    }
}
