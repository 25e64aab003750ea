/// What the supervising process records when it starts, beside the request.
public struct SupervisorRecord: Codable, Sendable, Equatable {
    /// The supervisor's pid.
    public var pid: Int32
    /// Its host.
    public var host: String
    /// When it started, ISO 8601 UTC.
    public var startedAt: String
    /// The trainer's pid (and process group), once it runs.
    public var trainerPID: Int32?

    enum CodingKeys: String, CodingKey {
        case pid, host
        case startedAt = "started_at"
        case trainerPID = "trainer_pid"
    }
}
