/// `retrain next --all`: every schedule's next slot.
public struct NextSlots: Presentable {
    public let now: Instant
    public let rows: [(spec: ScheduleSpec, calculator: SlotCalculator, slot: Slot?)]

    public init(now: Instant, rows: [(spec: ScheduleSpec, calculator: SlotCalculator, slot: Slot?)]) {
        self.now = now
        self.rows = rows
    }

    public func json() -> JSONValue {
        .object([
            "now": .string(now.description),
            "schedules": .array(
                rows.map { spec, calculator, slot in
                    .object([
                        "id": .string(spec.id), "enabled": .bool(spec.enabled), "timezone": .string(spec.timezone),
                        "repeat": .string(spec.repeatRule.description),
                        "next": slot.map { ScheduleSlots.json($0, zone: calculator.zone) } ?? .null,
                    ])
                }),
        ])
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

    public func json() -> JSONValue {
        .object([
            "schedule": .string(spec.id), "timezone": .string(spec.timezone), "repeat": .string(spec.repeatRule.description),
            "enabled": .bool(spec.enabled), "now": .string(now.description),
            "slots": .array(slots.map { Self.json($0, zone: calculator.zone) }),
        ])
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

    public static func json(_ slot: Slot, zone: ZoneRules) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("utc", .string(slot.instant.description)),
            .init("local", .string(slot.localDescription(in: zone))),
            .init("scheduled_wall_time", .string(slot.wall.description)),
            .init("note", slot.noteCode.map(JSONValue.string) ?? .null),
        ]
        if let merged = slot.merged { members.append(.init("merged_wall_time", .string(merged.description))) }
        return .object(members)
    }
}
