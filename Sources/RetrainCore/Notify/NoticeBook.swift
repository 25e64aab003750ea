/// Which notices an event queues, given a schedule's `notify:` (or retrain.yaml's default).
public enum NoticeBook {
    /// The notice for a run that just finished for good (`finished.record` set), if `notify` wants
    /// one: failed, rejected, recovered (a promotion after failed or rejected runs), or completed.
    /// `entry` is the schedule's state after the run was recorded.
    public static func afterRun(
        _ finished: RunLedger.Finished, entry: ScheduleState, schedule: String, spec: ScheduleSpec?, notify: NotifySpec?,
        reports: String, gates: [GateCheck]
    ) -> Notice? {
        guard let notify, !(notify.email.isEmpty && notify.webhook == nil), let run = finished.record else { return nil }
        let event: NotifySpec.Event
        switch run.status {
        case .failed: event = .failed
        case .rejected: event = .rejected
        case .completed: event = finished.recovering && notify.on.contains(.recovered) ? .recovered : .completed
        case .skipped: return nil
        }
        guard notify.on.contains(event) else { return nil }
        let model = spec?.model ?? "?"
        let subject: String
        switch event {
        case .failed: subject = "[retrain] \(schedule): run failed"
        case .rejected: subject = "[retrain] \(schedule): new model rejected by a gate"
        case .recovered: subject = "[retrain] \(schedule): recovered, new model promoted"
        default: subject = "[retrain] \(schedule): new model promoted"
        }
        let folder = "\(reports)/\(schedule)/\(run.id)"
        var text =
            "Schedule: \(schedule) (model \(model))\nRun:      \(run.id)\nSlot:     \(run.slot)\nAttempt:  \(run.attempt)\nStatus:   \(run.status.rawValue)\n"
        if let reason = run.reason { text += "Reason:   \(reason)\n" }
        if let metrics = run.metrics, !metrics.isEmpty {
            text += "\nMetrics:\n" + metrics.sorted { codePointLess($0.key, $1.key) }.map { "  \($0.key) = \(JSONValue.short($0.value))\n" }.joined()
        }
        if !gates.isEmpty {
            text += "\nGates:\n" + gates.map { "  \($0.held ? "held  " : "FAILED") \($0.gate)\(GateCheck.numbers($0))\n" }.joined()
        }
        if let champion = entry.champion { text += "\nChampion: \(champion.id)\(champion.id == run.id ? " (this run)" : "")\n" }
        text += "\nResult:    \(folder)/result.json\nLog:       \(folder)/log.txt\nDashboard: \(reports)/index.html\n"
        if event == .failed || event == .rejected { text += "\nTo run it again by hand: retrain run \(schedule) --wait\n" }
        let details = JSONValue.object([
            "event": .string(event.rawValue), "schedule": .string(schedule), "model": .string(model), "run_id": .string(run.id),
            "slot": .string(run.slot.description), "status": .string(run.status.rawValue), "reason": run.reason.map(JSONValue.string) ?? .null,
            "attempt": .int(run.attempt), "metrics": JSONValue.metrics(run.metrics ?? [:]), "gates": .array(gates.map(\.json)),
            "champion": entry.champion.map { .string($0.id) } ?? .null, "result": .string("\(folder)/result.json"),
        ])
        let at = run.finishedAt ?? run.slot
        return Notice(
            key: Notice.key(schedule: schedule, event: event, runID: run.id, period: at), schedule: schedule, event: event, runID: run.id,
            at: at, subject: subject, text: text, details: details, email: notify.email, webhook: notify.webhook)
    }

    /// The notice for a champion changed by hand (`promote`, `rollback`), if `notify.on` lists
    /// `promoted`: one per change (keyed by the schedule and its moment).
    public static func championChanged(_ change: LineageEvent, schedule: String, spec: ScheduleSpec?, notify: NotifySpec?, models: String)
        -> Notice?
    {
        guard let notify, notify.on.contains(.promoted), !(notify.email.isEmpty && notify.webhook == nil) else { return nil }
        let how = change.event == .promoted ? "promoted by hand" : "rolled back"
        let subject = "[retrain] \(schedule): \(change.run) \(how) by \(change.by)"
        var text = "Schedule: \(schedule) (model \(spec?.model ?? "?"))\nChampion: \(change.run)\nWas:      \(change.previous ?? "none")\n"
        text += "By:       \(change.by)\nAt:       \(change.at)\n"
        if let reason = change.reason { text += "Reason:   \(reason)\n" }
        text += "Model:    \(models)\n"
        if change.event == .promoted { text += "\nTo undo it: retrain rollback \(schedule)\n" }
        let details = JSONValue.object([
            "event": .string(NotifySpec.Event.promoted.rawValue), "change": .string(change.event.rawValue), "schedule": .string(schedule),
            "model": .string(spec?.model ?? "?"), "run_id": .string(change.run), "previous": change.previous.map(JSONValue.string) ?? .null,
            "by": .string(change.by), "reason": change.reason.map(JSONValue.string) ?? .null, "at": .string(change.at.description),
        ])
        return Notice(
            key: "\(schedule)@\(change.at.compact).\(change.event.rawValue)", schedule: schedule, event: .promoted, runID: change.run, at: change.at,
            subject: subject, text: text, details: details, email: notify.email, webhook: notify.webhook)
    }

    /// The stale notice, once per period without a promotion: when `notify.stale_after` has passed
    /// since the last promotion (or since the schedule was first seen) and that moment is not the
    /// one already reported (`entry.staleNoticeFor`). Reads only: the caller records
    /// `entry.staleNoticeFor = entry.lastPromotion` with the notice, so a pass that queues nothing
    /// leaves the state untouched.
    public static func stale(_ entry: ScheduleState, schedule: String, spec: ScheduleSpec, notify: NotifySpec?, reports: String, now: Instant)
        -> Notice?
    {
        guard spec.enabled, let notify, notify.on.contains(.stale), !(notify.email.isEmpty && notify.webhook == nil),
            entry.staleNoticeFor != entry.lastPromotion, entry.isStale(after: notify.staleAfter, now: now),
            let after = notify.staleAfter
        else { return nil }
        let since = entry.lastPromotion
        let days = (now.seconds - since.seconds) / 86_400
        let what = entry.champion.map { "the champion \($0.id) was promoted \(since)" } ?? "no model was ever promoted (first seen \(since))"
        let text =
            "Schedule: \(schedule) (model \(spec.model))\nNo model has been promoted for \(days) days (notify.stale_after: \(after)): \(what).\n"
            + (entry.lastRun.map { "Latest run: \($0.id), \($0.status.rawValue)\($0.reason.map { ": \($0)" } ?? "")\n" } ?? "No run recorded yet.\n")
            + "\nDashboard: \(reports)/index.html\nTo run it now by hand: retrain run \(schedule) --wait\n"
        let details = JSONValue.object([
            "event": .string("stale"), "schedule": .string(schedule), "model": .string(spec.model), "since": .string(since.description),
            "stale_after_seconds": .int(Int(after.seconds)), "champion": entry.champion.map { .string($0.id) } ?? .null,
            "latest_run": entry.lastRun.map { .string($0.id) } ?? .null,
        ])
        return Notice(
            key: Notice.key(schedule: schedule, event: .stale, runID: nil, period: since), schedule: schedule, event: .stale, runID: nil,
            at: now, subject: "[retrain] \(schedule): no model promoted for \(days) days", text: text, details: details,
            email: notify.email, webhook: notify.webhook)
    }
}
