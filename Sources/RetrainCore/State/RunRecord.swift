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
    /// The champion's metrics on this run's holdout (when the trainer scored it): what its
    /// `champion.X` gates compared with.
    public var championOnHoldout: [String: Double]?

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
        case championOnHoldout = "champion_on_holdout"
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

/// A ledger line read straight from the tape (500,000 of them make `report --all` at 10,000
/// schedules, and the keyed containers' generic calls were two thirds of reading one). Nil when
/// anything is not as retrain writes it (a field missing or of another kind): the `Decodable`
/// conformance then decodes it, or says where it is wrong. Unknown keys are passed over, as there.
extension RunRecord: TapeReadable {
    package static func read(_ object: TapeObject) -> RunRecord? {
        var id: String?
        var slot: Instant?
        var status: RunStatus?
        var attempt: Int?
        var record = RunRecord(id: "", slot: Instant(seconds: 0), status: .completed, attempt: 0)
        let whole = object.members { name, value in
            guard let key = name.bytes else { return true }  // an escaped key: not one of ours
            if key.equals("id") {
                id = value.string
                return id != nil
            } else if key.equals("slot") {
                slot = value.instant
                return slot != nil
            } else if key.equals("status") {
                status = value.string.flatMap(RunStatus.init(rawValue:))
                return status != nil
            } else if key.equals("attempt") {
                attempt = value.int
                return attempt != nil
            } else if value.isNull {
                return true  // an optional field: nil, as the conformance reads null
            } else if key.equals("reason") {
                record.reason = value.string
                return record.reason != nil
            } else if key.equals("git_commit") {
                record.gitCommit = value.string
                return record.gitCommit != nil
            } else if key.equals("started_at") {
                record.startedAt = value.instant
                return record.startedAt != nil
            } else if key.equals("finished_at") {
                record.finishedAt = value.instant
                return record.finishedAt != nil
            } else if key.equals("metrics") {
                record.metrics = value.numbers
                return record.metrics != nil
            } else if key.equals("duration_seconds") {
                record.durationSeconds = value.double
                return record.durationSeconds != nil
            } else if key.equals("params") {
                record.params = value.decode(JSONValue.self)
                return record.params != nil
            } else if key.equals("data") {
                record.data = value.decode(DataSummary.self)
                return record.data != nil
            } else if key.equals("champion_on_holdout") {
                record.championOnHoldout = value.numbers
                return record.championOnHoldout != nil
            }
            return true
        }
        guard whole, let id, let slot, let status, let attempt else { return nil }
        (record.id, record.slot, record.status, record.attempt) = (id, slot, status, attempt)
        return record
    }
}
