/// Where a wall-clock time falls in a zone, by the contract in DESIGN.md "Time":
/// a time that does not exist (spring forward) runs the gap's length later, with the offset in force
/// before the gap; a time that happens twice (fall back) runs once, at its first occurrence.
public struct LocalTimeResolution: Sendable, Hashable {
    /// How the wall time maps to instants.
    public enum Kind: Sendable, Hashable {
        /// Exactly one instant.
        case exact
        /// The time does not exist; it runs this many seconds later on the wall clock.
        case skippedForward(seconds: Int)
        /// The time happens twice; this is the first of the two.
        case firstOfTwo
    }

    /// The instant the wall time runs at.
    public let instant: Instant
    /// How it was found.
    public let kind: Kind
}

extension ZoneRules {
    /// The instant a wall time in this zone runs at, by the rule above.
    public func resolve(_ local: LocalDateTime) -> LocalTimeResolution {
        let wall = local.secondsAsIfUTC
        // Transitions are far more than a day apart, so the offsets a day either side are the two
        // candidates around any change near this wall time.
        let before = offset(at: Instant(seconds: wall - 86_400 - 50_400))
        let after = offset(at: Instant(seconds: wall + 86_400 + 50_400))
        let early = Instant(seconds: wall - Int64(before))
        if before == after { return LocalTimeResolution(instant: early, kind: .exact) }
        let late = Instant(seconds: wall - Int64(after))
        let earlyValid = offset(at: early) == before
        let lateValid = offset(at: late) == after
        switch (earlyValid, lateValid) {
        case (true, true):
            return LocalTimeResolution(instant: min(early, late), kind: early == late ? .exact : .firstOfTwo)
        case (true, false):
            return LocalTimeResolution(instant: early, kind: .exact)
        case (false, true):
            return LocalTimeResolution(instant: late, kind: .exact)
        case (false, false):
            // In the gap: the offset in force before it, which lands the gap's length later.
            return LocalTimeResolution(instant: early, kind: .skippedForward(seconds: Int(after - before)))
        }
    }

    /// The wall time in this zone at `instant`.
    public func local(at instant: Instant) -> LocalDateTime {
        LocalDateTime(secondsAsIfUTC: instant.seconds + Int64(offset(at: instant)))
    }
}
