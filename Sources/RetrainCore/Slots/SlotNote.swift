/// How a slot's wall time and instant relate, in words for `retrain next` and reports.
extension Slot {
    /// A stable snake_case tag, or nil for an ordinary slot.
    public var noteCode: String? {
        if merged != nil { return "merged" }
        switch kind {
        case .exact: return nil
        case .skippedForward: return "moved_by_dst"
        case .firstOfTwo: return "first_of_two"
        }
    }

    /// One line for people, or nil for an ordinary slot.
    public var noteText: String? {
        func hm(_ t: LocalDateTime) -> String { "\(two(t.hour)):\(two(t.minute))" }
        if let merged {
            return "\(hm(merged)) does not exist that day (DST); it runs here, once"
        }
        switch kind {
        case .exact: return nil
        case .skippedForward(let seconds):
            let shift = seconds % 3600 == 0 ? "\(seconds / 3600)h" : "\(seconds / 60)m"
            return "\(hm(wall)) does not exist that day (DST); runs \(shift) later on the clock"
        case .firstOfTwo:
            return "\(hm(wall)) happens twice that day (DST); runs at the first"
        }
    }

    /// The local time the slot runs at, with its UTC offset: `2027-03-28 03:30 +02:00`.
    public func localDescription(in zone: ZoneRules) -> String {
        let offset = Int(zone.offset(at: instant))
        let t = zone.local(at: instant)
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return
            "\(String(format4: t.year))-\(two(t.month))-\(two(t.day)) \(two(t.hour)):\(two(t.minute))\(t.second == 0 ? "" : ":" + two(t.second)) \(sign)\(two(a / 3600)):\(two(a / 60 % 60))"
    }
}
