import Glibc

/// A champion changed by hand: `retrain promote` or `retrain rollback`, on the record.
public struct LineageEvent: Codable, Sendable, Equatable {
    /// Which hand.
    public enum Kind: String, Codable, Sendable {
        case promoted
        case rolledBack = "rolled_back"
    }

    /// When.
    public var at: Instant
    public var event: Kind
    /// The run that became the champion.
    public var run: String
    /// The champion it replaced.
    public var previous: String?
    /// Who (`user@host`).
    public var by: String
    /// Why, as given.
    public var reason: String?

    public init(at: Instant, event: Kind, run: String, previous: String?, by: String, reason: String?) {
        self.at = at
        self.event = event
        self.run = run
        self.previous = previous
        self.by = by
        self.reason = reason
    }

    /// The same change (a command run again after a crash left its line but not its state).
    func sameChange(as other: LineageEvent) -> Bool {
        event == other.event && run == other.run && previous == other.previous
    }
}

/// Each schedule's champion changes made by hand: `lineage/<id>.jsonl` beside the state file, one
/// JSON line per change, oldest first, only ever appended. Promotions by a run's gates are in the
/// run ledger (`HistoryLedger`); these are the rest of the champion's lineage.
///
/// A line is appended and made durable before the state that makes the change is saved (the state
/// is the commit). A command that dies in between is run again and finds its own line last: it is
/// not appended twice.
public struct LineageLedger: Sendable {
    /// The folder of lineage files.
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// The lineage file of `schedule`.
    public func path(of schedule: String) -> String { "\(folder)/\(schedule).jsonl" }

    /// The changes made by hand to `schedule`'s champion, oldest first (lines that do not read are
    /// passed over: the state, not this file, says who the champion is).
    public func read(_ schedule: String) -> [LineageEvent] {
        guard FileSystem.isPlainName(schedule) else { return [] }
        return JSONLines.read(LineageEvent.self, from: path(of: schedule))
    }

    /// Appends `event` to `schedule`'s lineage, durably, unless the last line is the same change.
    public func append(_ event: LineageEvent, schedule: String) throws(AtomicFile.Failure) {
        guard FileSystem.isPlainName(schedule) else {
            throw AtomicFile.Failure(path: path(of: schedule), reason: "'\(schedule)' is not a schedule id")
        }
        if let last = read(schedule).last, last.sameChange(as: event) { return }
        try JSONLines.append(event, to: path(of: schedule), folder: folder)
    }

    /// Removes `schedule`'s lineage (`--prune`).
    public func remove(_ schedule: String) {
        guard FileSystem.isPlainName(schedule) else { return }
        unlink(path(of: schedule))
    }
}
