/// `retrain backfill ID --from T --to T`: a schedule's slots in a past window run now, oldest first,
/// one at a time, each with its own slot (`RETRAIN_SLOT`) and id, through the same claim a pass
/// uses. A slot that trained already (completed or rejected) is left; one that was missed, skipped
/// or failed runs (under a fresh id when its own is taken). `plan --backfill` shows the list first.
public struct Backfill: Presentable {
    /// One slot of the window.
    public struct Item: Sendable, Encodable {
        public var slot: Instant
        /// `run`, or `done` (it trained already).
        public var action: String
        /// The run that trained it, or what happened to it before (`failed`, `skipped`, `not run`).
        public var detail: String
    }

    public var schedule: String
    public var from: Instant
    public var to: Instant
    /// The window's slots, oldest first, at most `max` of them to run.
    public var items: [Item]
    /// Slots left for another backfill: over `--max`.
    public var more: Int

    /// The slots to run.
    public var toRun: [Instant] { items.filter { $0.action == "run" }.map(\.slot) }

    /// The backfill of `spec` from `from` through `to` (not after `now`), given its ledger.
    public static func plan(_ spec: ScheduleSpec, records: [RunRecord], from: Instant, to: Instant, now: Instant, max: Int) throws(CommandError)
        -> Backfill
    {
        guard from <= to else { throw CommandError("--from \(from) is after --to \(to); give the window oldest first") }
        guard let calculator = SlotCalculator(spec) else { throw CommandError("\(spec.id): its time zone \(spec.timezone) cannot be read") }
        let through = min(to, now)
        let limit = 10_000
        let slots = calculator.slots(after: from.adding(-1), through: through, count: limit + 1)
        guard slots.count <= limit else {
            throw CommandError("\(spec.id) has more than \(limit) slots from \(from) to \(through); backfill a shorter window")
        }
        var bySlot: [Instant: [RunRecord]] = [:]
        for record in records { bySlot[record.slot, default: []].append(record) }
        var items: [Item] = []
        var more = 0
        for slot in slots.map(\.instant) {
            let earlier = bySlot[slot] ?? []
            if let trained = earlier.last(where: \.status.trained) {
                items.append(Item(slot: slot, action: "done", detail: "\(trained.id) \(trained.status.rawValue)"))
            } else if items.count(where: { $0.action == "run" }) >= max {
                more += 1
            } else {
                let before = earlier.last.map { "\($0.id) \($0.status.rawValue)" } ?? "not run"
                items.append(Item(slot: slot, action: "run", detail: before))
            }
        }
        return Backfill(schedule: spec.id, from: from, to: through, items: items, more: more)
    }

    public func table() -> String {
        guard !items.isEmpty else { return "\(schedule) has no slot from \(from) to \(to)\n" }
        var rows = [["SLOT", "ACTION", "BEFORE"]]
        for item in items { rows.append([item.slot.description, item.action, item.detail]) }
        var out = TextTable.render(rows)
        out += "backfill of \(schedule) from \(from) to \(to): \(toRun.count) to run, \(items.count - toRun.count) done already"
        if more > 0 { out += ", \(more) more over --max (run the backfill again)" }
        return out + "\n"
    }

    public var payload: Payload { Payload(schedule: schedule, from: from, to: to, slots: items, more: more) }

    public struct Payload: Encodable {
        public var schedule: String
        public var from: Instant
        public var to: Instant
        public var slots: [Item]
        public var more: Int
    }
}

extension Workspace {
    /// The backfill of schedule `id`: its window's slots and what each would get. `from` and `to`
    /// are instants (with Z or an offset) or local times in the schedule's zone (a date alone: its
    /// midnight for `from`, its end for `to`).
    public func backfill(_ id: String, from: String, to: String, max: Int, now: Instant) throws(CommandError) -> (Backfill, ScheduleSpec) {
        try requireConfig()
        guard let spec = report.schedules.first(where: { $0.id == id }) else {
            if report.invalidIDs.contains(id) { throw CommandError("the schedule file of '\(id)' has errors (above); fix them first") }
            let hint = Suggestion.closest(to: id, in: report.schedules.map(\.id)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists them"
            throw CommandError("no schedule '\(id)'\(hint)")
        }
        guard let zone = SlotCalculator(spec)?.zone else { throw CommandError("\(id): its time zone \(spec.timezone) cannot be read") }
        func instant(_ text: String, option: String, endOfDay: Bool) throws(CommandError) -> Instant {
            if let instant = Instant.parse(text) { return instant }
            guard case .success(var local) = LocalDateTime.parse(text) else {
                throw CommandError(
                    "\(option) '\(text)' is not a time; write 2026-11-01, 2026-11-01 02:00 (in the schedule's zone, \(spec.timezone)) or 2026-11-01T02:00:00Z"
                )
            }
            if local.dateOnly && endOfDay { (local.hour, local.minute, local.second) = (23, 59, 59) }
            local.dateOnly = false
            return zone.resolve(local).instant
        }
        let records = store.history.read(id, legacy: (try? store.load())?.legacy).records
        let plan = try Backfill.plan(
            spec, records: records, from: try instant(from, option: "--from", endOfDay: false), to: try instant(to, option: "--to", endOfDay: true),
            now: now, max: max)
        return (plan, spec)
    }
}
