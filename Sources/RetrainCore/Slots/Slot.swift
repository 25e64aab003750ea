/// One time a schedule should run: the wall-clock time it was scheduled for and the instant it runs at.
public struct Slot: Sendable, Hashable, Comparable {
    /// When it runs.
    public let instant: Instant
    /// The wall time in the schedule's zone it stands for.
    public let wall: LocalDateTime
    /// How the wall time mapped to the instant (moved forward by a DST gap, first of two…).
    public let kind: LocalTimeResolution.Kind
    /// Another wall time of the same schedule that DST moved onto this instant; it runs once.
    public let merged: LocalDateTime?

    /// Creates a slot.
    public init(instant: Instant, wall: LocalDateTime, kind: LocalTimeResolution.Kind, merged: LocalDateTime? = nil) {
        self.instant = instant
        self.wall = wall
        self.kind = kind
        self.merged = merged
    }

    public static func < (a: Slot, b: Slot) -> Bool { a.instant < b.instant }
}

/// The slots of one schedule: pure functions of its spec and an instant, never of the clock.
public struct SlotCalculator: Sendable {
    /// The schedule's zone.
    public let zone: ZoneRules
    let start: LocalDateTime
    let endBound: LocalDateTime?
    let rule: ScheduleSpec.Repeat

    /// How far a cron search looks before deciding an expression has no more slots (≈ 30 years).
    static let cronHorizonDays = 11_000

    /// The calculator for `spec`, or nil when its zone cannot be read.
    public init?(_ spec: ScheduleSpec) {
        guard let zone = TimeZoneDatabase.rules(for: spec.timezone) else { return nil }
        self.init(zone: zone, start: spec.start, end: spec.end, rule: spec.repeatRule)
    }

    /// A calculator from its parts.
    public init(zone: ZoneRules, start: LocalDateTime, end: LocalDateTime?, rule: ScheduleSpec.Repeat) {
        self.zone = zone
        var start = start
        start.dateOnly = false
        self.start = start
        self.endBound = end.map(ScheduleDecoder.endInstantBound)
        self.rule = rule
    }

    /// Up to `count` slots strictly after `instant`, in order.
    public func slots(after instant: Instant, count: Int) -> [Slot] {
        slots(after: instant, through: nil, count: count)
    }

    /// Slots strictly after `after` and at or before `through` (when given), at most `count`, in order.
    public func slots(after: Instant, through: Instant?, count: Int) -> [Slot] {
        var out: [Slot] = []
        guard count > 0 else { return out }
        func take(_ slot: Slot) -> Bool {  // false: stop
            if let through, slot.instant > through { return false }
            if slot.instant > after { out.append(slot) }
            return out.count < count
        }
        switch rule {
        case .cron(let cron):
            var day = max(zone.local(at: after).daysSinceEpoch - 1, start.daysSinceEpoch)
            let last = day + Int64(SlotCalculator.cronHorizonDays)
            var previous: Slot?
            while day <= last {
                if let endBound, day > endBound.daysSinceEpoch { break }
                for slot in cronSlots(on: day, cron, previous: &previous) where !take(slot) { return out }
                day += 1
            }
        default:
            var k = max(0, estimatedIndex(of: after) - 2)
            while let wall = intervalWall(k) {
                if let endBound, wall > endBound { break }
                if !take(slot(for: wall)) { return out }
                k += 1
            }
        }
        return out
    }

    /// The latest slot at or before `instant`, if any.
    public func last(atOrBefore instant: Instant) -> Slot? {
        switch rule {
        case .cron(let cron):
            var day = zone.local(at: instant).daysSinceEpoch + 1
            if let endBound { day = min(day, endBound.daysSinceEpoch) }
            let first = max(start.daysSinceEpoch, day - Int64(SlotCalculator.cronHorizonDays))
            while day >= first {
                var previous: Slot?
                if let hit = cronSlots(on: day, cron, previous: &previous).last(where: { $0.instant <= instant }) { return hit }
                day -= 1
            }
            return nil
        default:
            var k = estimatedIndex(of: instant) + 2
            while k >= 0 {
                if let wall = intervalWall(k), endBound.map({ wall <= $0 }) ?? true {
                    let s = slot(for: wall)
                    if s.instant <= instant { return s }
                }
                k -= 1
            }
            return nil
        }
    }

    private func slot(for wall: LocalDateTime) -> Slot {
        let r = zone.resolve(wall)
        return Slot(instant: r.instant, wall: wall, kind: r.kind)
    }

    /// The wall time of interval slot `k` (k ≥ 0), or nil when there is none.
    private func intervalWall(_ k: Int) -> LocalDateTime? {
        switch rule {
        case .once: k == 0 ? start : nil
        case .daily: start.addingDays(k)
        case .weekly: start.addingDays(7 * k)
        case .monthly: start.addingMonths(k, dayOfMonth: start.day)
        case .cron: nil
        }
    }

    /// Which interval slot falls on the local date of `instant`, to within one (callers step from it).
    private func estimatedIndex(of instant: Instant) -> Int {
        let local = zone.local(at: instant)
        let days = Int(local.daysSinceEpoch - start.daysSinceEpoch)
        switch rule {
        case .daily: return max(0, days)
        case .weekly: return max(0, days / 7)
        case .monthly: return max(0, (local.year * 12 + local.month) - (start.year * 12 + start.month))
        default: return 0
        }
    }

    /// The slots on local day `day`, in instant order; a wall time that DST moved onto an instant
    /// another slot already has is merged into it ("each wall time fires once").
    private func cronSlots(on day: Int64, _ cron: CronExpression, previous: inout Slot?) -> [Slot] {
        let (y, m, d) = LocalDateTime.date(daysSinceEpoch: day)
        let weekday = Int(((day % 7) + 11) % 7)
        guard cron.matches(year: y, month: m, day: d, weekday: weekday) else { return [] }
        var found: [Slot] = []
        for hour in 0..<24 where cron.hours & (1 << UInt32(hour)) != 0 {
            for minute in 0..<60 where cron.minutes & (1 << UInt64(minute)) != 0 {
                let wall = LocalDateTime(year: y, month: m, day: d, hour: hour, minute: minute)
                if wall < start { continue }
                if let endBound, wall > endBound { continue }
                found.append(slot(for: wall))
            }
        }
        found.sort { ($0.instant, $0.wall) < ($1.instant, $1.wall) }
        var out: [Slot] = []
        for s in found {
            if let p = out.last ?? previous, p.instant == s.instant {
                // Keep the wall time that really exists; record the one DST moved here.
                let keep = p.kind == .exact || s.kind != .exact ? p : s
                let moved = keep.wall == p.wall ? s.wall : p.wall
                if out.isEmpty { continue }  // merged into the previous day's last slot
                out[out.count - 1] = Slot(instant: keep.instant, wall: keep.wall, kind: keep.kind, merged: moved)
            } else {
                out.append(s)
            }
        }
        if let lastSlot = out.last { previous = lastSlot }
        return out
    }
}
