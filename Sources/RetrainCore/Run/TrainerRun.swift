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
    /// The slot the run is for (`RETRAIN_SLOT`); nil for a manual run.
    public var slot: Instant?
    /// The champion's artifact folder (`RETRAIN_CHAMPION`), relative to the repository root.
    public var champion: String?
    /// The SHA-256 of the data the latest trained run read (`RETRAIN_PREVIOUS_DATA_SHA256`).
    public var previousDataSHA256: String?

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
        case slot, champion
        case previousDataSHA256 = "previous_data_sha256"
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
