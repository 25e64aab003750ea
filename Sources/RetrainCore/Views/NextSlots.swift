/// `retrain next --all`: every schedule's next slot.
public struct NextSlots: Presentable {
    public let now: Instant
    public let rows: [(spec: ScheduleSpec, calculator: SlotCalculator, slot: Slot?)]

    public init(now: Instant, rows: [(spec: ScheduleSpec, calculator: SlotCalculator, slot: Slot?)]) {
        self.now = now
        self.rows = rows
    }

    public var payload: Payload {
        Payload(
            now: now,
            schedules: rows.map { spec, calculator, slot in
                Payload.Row(
                    id: spec.id, enabled: spec.enabled, timezone: spec.timezone, repeatRule: spec.repeatRule.description,
                    next: slot.map { SlotPayload($0, zone: calculator.zone) })
            })
    }

    public struct Payload: Encodable {
        public var now: Instant
        public var schedules: [Row]

        public struct Row: Encodable {
            public var id: String
            public var enabled: Bool
            public var timezone: String
            public var repeatRule: String
            public var next: SlotPayload?

            enum CodingKeys: String, CodingKey {
                case id, enabled, timezone
                case repeatRule = "repeat"
                case next
            }
        }
    }

    public func table() -> String {
        var table = [["SCHEDULE", "NEXT (UTC)", "NEXT (LOCAL)", "REPEAT", "NOTE"]]
        for (spec, calculator, slot) in rows {
            table.append([
                spec.id, slot?.instant.description ?? "-", slot.map { $0.localDescription(in: calculator.zone) } ?? "-",
                spec.repeatRule.description, spec.enabled ? (slot?.noteText ?? "") : "paused (enabled: false)",
            ])
        }
        return TextTable.render(table)
    }
}

/// `retrain next ID`: one schedule's next slots, local and UTC.
public struct ScheduleSlots: Presentable {
    public let now: Instant
    public let spec: ScheduleSpec
    public let calculator: SlotCalculator
    public let slots: [Slot]

    public init(now: Instant, spec: ScheduleSpec, calculator: SlotCalculator, slots: [Slot]) {
        self.now = now
        self.spec = spec
        self.calculator = calculator
        self.slots = slots
    }

    public var payload: Payload {
        Payload(
            schedule: spec.id, timezone: spec.timezone, repeatRule: spec.repeatRule.description, enabled: spec.enabled, now: now,
            slots: slots.map { SlotPayload($0, zone: calculator.zone) })
    }

    public struct Payload: Encodable {
        public var schedule: String
        public var timezone: String
        public var repeatRule: String
        public var enabled: Bool
        public var now: Instant
        public var slots: [SlotPayload]

        enum CodingKeys: String, CodingKey {
            case schedule, timezone
            case repeatRule = "repeat"
            case enabled, now, slots
        }
    }

    public func table() -> String {
        var out = "\(spec.id): \(spec.repeatRule) in \(spec.timezone), from \(spec.start)\(spec.end.map { " to \($0)" } ?? "")"
        out += spec.enabled ? "\n" : " (paused: enabled: false)\n"
        if slots.isEmpty {
            out += "no slots after \(now)\n"
        } else {
            var table = [["UTC", "LOCAL", "NOTE"]]
            for slot in slots { table.append([slot.instant.description, slot.localDescription(in: calculator.zone), slot.noteText ?? ""]) }
            out += TextTable.render(table)
        }
        return out
    }
}

/// A slot as `next --format json` shows it: UTC, local, the wall time it was scheduled at, a note
/// code, and (only when two wall times fell on one instant) the one merged into it.
public struct SlotPayload: Encodable {
    public var utc: Instant
    public var local: String
    public var scheduledWallTime: LocalDateTime
    public var note: String?
    public var mergedWallTime: LocalDateTime?

    init(_ slot: Slot, zone: ZoneRules) {
        (utc, local, scheduledWallTime) = (slot.instant, slot.localDescription(in: zone), slot.wall)
        (note, mergedWallTime) = (slot.noteCode, slot.merged)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(utc, forKey: .utc)
        try c.encode(local, forKey: .local)
        try c.encode(scheduledWallTime.description, forKey: .scheduledWallTime)
        try c.encodeIfPresent(note, forKey: .note)
        if let mergedWallTime { try c.encode(mergedWallTime.description, forKey: .mergedWallTime) }
    }

    enum CodingKeys: String, CodingKey {
        case utc, local
        case scheduledWallTime = "scheduled_wall_time"
        case note
        case mergedWallTime = "merged_wall_time"
    }
}
