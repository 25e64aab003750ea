/// A notification waiting to be delivered. Its text is a file in the outbox folder (`Outbox`) from
/// the moment its event happened; the state's `outbox` names it in the same locked update that records
/// the run, which commits it. So an event is queued once, a pass that dies before sending loses
/// nothing, and a mailer that fails is tried again by the next pass. Recipients and the webhook are
/// kept as written, `${ENV}` references unexpanded: no file holds a secret.
public struct Notice: Codable, Sendable, Equatable {
    /// Its name in the outbox (`Notice.key`).
    public var key: String
    /// The schedule it is about.
    public var schedule: String
    /// What happened.
    public var event: NotifySpec.Event
    /// The run it is about (nil for stale).
    public var runID: String?
    /// When it happened.
    public var at: Instant
    /// The mail's subject.
    public var subject: String
    /// The mail's text.
    public var text: String
    /// Details for the webhook's JSON.
    public var details: JSONValue
    /// Addresses not yet sent to (all or none: one message).
    public var email: [String]
    /// The webhook not yet called.
    public var webhook: String?
    /// Delivery attempts so far.
    public var tries: Int = 0
    /// Why the last attempt failed.
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case key, schedule, event
        case runID = "run_id"
        case at, subject, text, details, email, webhook, tries
        case lastError = "last_error"
    }

    /// Whether every channel took it.
    public var delivered: Bool { email.isEmpty && webhook == nil }

    /// Its name in the outbox, the same whenever the same event is queued again (a pass done twice
    /// after a crash writes the same file): the run and the event, or the schedule and the moment a
    /// stale period began.
    public static func key(schedule: String, event: NotifySpec.Event, runID: String?, period: Instant) -> String {
        if let runID { return "\(runID).\(event.rawValue)" }
        return "\(schedule)@\(period.compact).\(event.rawValue)"
    }
}
