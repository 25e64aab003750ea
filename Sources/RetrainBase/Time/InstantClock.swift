/// Where "now" comes from. The command layer passes the wall clock (`RunningClock`); tests pass a
/// fixed one. (Named apart from the standard library's `Clock`, which measures durations.)
public protocol InstantClock: Sendable {
    /// The current instant.
    func now() -> Instant
}
