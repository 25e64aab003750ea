import RetrainCore

/// A local date-time from its schedule-file text (`2026-03-29 02:30`).
public func local(_ text: String) -> LocalDateTime { try! LocalDateTime.parse(text).get() }
/// An instant from ISO 8601 text.
public func instant(_ text: String) -> Instant { Instant.parse(text)! }
/// A zone's rules from the tz database.
public func zone(_ name: String) -> ZoneRules { TimeZoneDatabase.rules(for: name)! }
