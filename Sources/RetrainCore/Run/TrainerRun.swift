/// Everything an external trainer run needs, written by the reconciler into the run folder so the
/// process that supervises the run needs nothing else.
public struct TrainerRequest: Codable, Sendable, Equatable {
    /// The schedule id.
    public var schedule: String
    /// `schedule@20261201T010000Z`.
    public var runID: String
    /// The model name.
    public var model: String
    /// The argv of the trainer; `argv[0]` is looked up on PATH unless it contains a `/`, then it is
    /// relative to the repository root. Empty for the built-in trainer.
    public var command: [String]
    /// `params` as JSON text.
    public var paramsJSON: String
    /// `data`, as written in the schedule (the trainer resolves it from the repository root).
    public var data: String?
    /// `target`.
    public var target: String?
    /// `features`, when the schedule lists them.
    public var features: [String]?
    /// The repository root: the trainer's working directory.
    public var repositoryRoot: String
    /// The run's folder under reports/: the log and result, and one folder per attempt.
    public var runFolder: String
    /// Which attempt: 1, then 2… for retries. Its files go to `attempt-N/` in the run folder.
    public var attempt: Int
    /// The folder for the trained artifact under models/.
    public var outputFolder: String
    /// The run is stopped after this many seconds.
    public var timeoutSeconds: Int
    /// Folders outside the repository the built-in trainer may read data from (`data_roots`).
    public var dataRoots: [String]?
    /// Environment variables left out of the trainer's environment: those the notification
    /// settings refer to (webhook URLs, addresses), which are secrets.
    public var hiddenEnvironment: [String]?

    enum CodingKeys: String, CodingKey {
        case schedule
        case runID = "run_id"
        case model, command
        case paramsJSON = "params_json"
        case data, target, features
        case repositoryRoot = "repository_root"
        case runFolder = "run_folder"
        case attempt
        case outputFolder = "output_folder"
        case timeoutSeconds = "timeout_seconds"
        case dataRoots = "data_roots"
        case hiddenEnvironment = "hidden_environment"
    }

    /// Creates a request.
    public init(
        schedule: String, runID: String, model: String, command: [String], paramsJSON: String, data: String?, target: String?,
        features: [String]? = nil,
        repositoryRoot: String, runFolder: String, attempt: Int = 1, outputFolder: String, timeoutSeconds: Int
    ) {
        self.schedule = schedule
        self.runID = runID
        self.model = model
        self.command = command
        self.paramsJSON = paramsJSON
        self.data = data
        self.target = target
        self.features = features
        self.repositoryRoot = repositoryRoot
        self.runFolder = runFolder
        self.attempt = attempt
        self.outputFolder = outputFolder
        self.timeoutSeconds = timeoutSeconds
    }

    /// This attempt's own files: params, metrics, and the supervisor's records.
    public var attemptFolder: String { runFolder + "/attempt-\(attempt)" }
    /// The file the trainer writes its metrics to.
    public var metricsPath: String { attemptFolder + "/metrics.json" }
    /// The file its output goes to (every attempt appends to it).
    public var logPath: String { runFolder + "/log.txt" }
    /// The `params` file it reads.
    public var paramsPath: String { attemptFolder + "/params.json" }
}

/// How a trainer run ended, as its supervisor saw it.
public struct TrainerOutcome: Codable, Sendable, Equatable {
    /// Trained, or failed.
    public enum Status: String, Codable, Sendable { case trained, failed }

    /// Trained or failed.
    public var status: Status
    /// Why it failed: `exit 1`, `timeout after 30m`, `no metrics file`….
    public var reason: String?
    /// The exit code, when it exited.
    public var exitCode: Int32?
    /// The metrics, when trained.
    public var metrics: [String: Double]?
    /// When the trainer started.
    public var startedAt: Instant
    /// When it ended.
    public var finishedAt: Instant
    /// The training data as the run read it (sha256, size, rows), when the schedule names a file.
    public var data: DataFingerprint?
    /// Seconds from start to end on the supervisor's monotonic clock, to the millisecond (the
    /// instants above are whole seconds). Nil in outcomes written before it was kept.
    public var elapsedSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case status, reason
        case exitCode = "exit_code"
        case metrics
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case data
        case elapsedSeconds = "elapsed_seconds"
    }

    /// Seconds the attempt took: the measured figure, else the whole seconds between its instants.
    public var durationSeconds: Double { elapsedSeconds ?? Double(finishedAt.seconds - startedAt.seconds) }

    /// Creates an outcome.
    public init(
        status: Status, reason: String?, exitCode: Int32?, metrics: [String: Double]?, startedAt: Instant, finishedAt: Instant,
        data: DataFingerprint? = nil
    ) {
        self.status = status
        self.reason = reason
        self.exitCode = exitCode
        self.metrics = metrics
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.data = data
    }
}

/// Where "now" comes from. The command layer passes the wall clock; tests pass a fixed one.
public protocol Clock: Sendable {
    /// The current instant.
    func now() -> Instant
}
