/// One finished run, as its schedule's ledger keeps it: one JSON line, appended once when the run
/// is over for good (its retries spent, or trained), or when a slot is skipped.
public struct RunRecord: Codable, Sendable, Equatable {
    /// The run id.
    public var id: String
    /// The slot.
    public var slot: Instant
    /// How it ended.
    public var status: RunStatus
    /// Why, for failed, rejected and skipped runs.
    public var reason: String?
    /// Which attempt ended it (0 for a skipped slot).
    public var attempt: Int
    /// When its last attempt started (nil for skipped slots).
    public var startedAt: Instant?
    /// When it ended.
    public var finishedAt: Instant?
    /// The metrics the trainer reported.
    public var metrics: [String: Double]?
    /// Seconds its last attempt took, with fractions (nil for skipped slots and older records).
    public var durationSeconds: Double?
    /// `params` as the trainer received them (nil for skipped slots and older records).
    public var params: JSONValue?
    /// The git commit the schedules were at when it started, when they are in a repository.
    public var gitCommit: String?
    /// The training data as it read it.
    public var data: DataSummary?

    /// The training data a run read: enough to tell whether two runs saw the same file.
    public struct DataSummary: Codable, Sendable, Equatable {
        public var sha256: String
        public var rows: Int

        public init(sha256: String, rows: Int) {
            self.sha256 = sha256
            self.rows = rows
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, slot, status, reason, attempt
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case metrics
        case durationSeconds = "duration_seconds"
        case params
        case gitCommit = "git_commit"
        case data
    }

    /// Creates a record.
    public init(
        id: String, slot: Instant, status: RunStatus, reason: String? = nil, attempt: Int, startedAt: Instant? = nil,
        finishedAt: Instant? = nil, metrics: [String: Double]? = nil
    ) {
        self.id = id
        self.slot = slot
        self.status = status
        self.reason = reason
        self.attempt = attempt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.metrics = metrics
    }
}
