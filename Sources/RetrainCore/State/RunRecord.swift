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

    enum CodingKeys: String, CodingKey {
        case id, slot, status, reason, attempt, startedAt = "started_at", finishedAt = "finished_at", metrics
    }

    /// Creates a record.
    public init(id: String, slot: Instant, status: RunStatus, reason: String? = nil, attempt: Int, startedAt: Instant? = nil,
                finishedAt: Instant? = nil, metrics: [String: Double]? = nil) {
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
