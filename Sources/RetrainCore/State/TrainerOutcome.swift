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
    /// The champion's metrics on this run's holdout, when the trainer scored it.
    public var championMetrics: [String: Double]?
    /// Why the trainer could not score the champion on this run's holdout.
    public var championUnscored: String?
    /// The run id of the champion it was given (`RETRAIN_CHAMPION`).
    public var championRun: String?

    enum CodingKeys: String, CodingKey {
        case status, reason
        case exitCode = "exit_code"
        case metrics
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case data
        case elapsedSeconds = "elapsed_seconds"
        case championMetrics = "champion_metrics"
        case championUnscored = "champion_unscored"
        case championRun = "champion_run"
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
