/// The champion changed by hand, on the record: `retrain promote ID RUN` makes a trained run the
/// champion (overriding its gates), `retrain rollback ID` restores the champion before the current
/// one. Each is a line of the schedule's lineage (`LineageLedger`) and one locked update of the
/// state, then `models/<id>/champion.json`, the reports and a `promoted` notice.
extension Workspace {
    /// What `promote` or `rollback` did.
    public struct ChampionChange: Presentable, Encodable {
        public var schedule: String
        /// `promoted`, `rolled_back`, or `unchanged` (it was the champion already).
        public var change: String
        /// The champion now.
        public var champion: String
        /// The one it replaced.
        public var previous: String?
        public var by: String
        public var reason: String?

        public func table() -> String {
            switch change {
            case "unchanged": return "\(schedule): \(champion) is the champion already; nothing changed\n"
            case "rolled_back":
                return "\(schedule): rolled back to \(champion) (was \(previous ?? "none")); `retrain rollback \(schedule)` goes back one more\n"
            default:
                return
                    "\(schedule): \(champion) promoted to champion (was \(previous ?? "none")); `retrain rollback \(schedule)` restores \(previous ?? "it")\n"
            }
        }

        /// `--format json`: these fields, as they are.
        public var payload: Self { self }
    }

    /// Makes `run` (its id, or the part after `ID@`) the champion of `id`: a trained run (completed
    /// or rejected) whose model folder is there.
    public func promote(_ id: String, run name: String, reason: String, by who: String, now: Instant, warn: @escaping (String) -> Void)
        async throws(CommandError) -> ChampionChange
    {
        let run = name.hasPrefix(id + "@") ? name : name.hasPrefix("@") ? id + name : id + "@" + name
        return try await changeChampion(id, event: .promoted, reason: reason, by: who, now: now, warn: warn) {
            (_, records, _) throws(CommandError) -> RunRecord in
            guard let record = records.last(where: { $0.id == run }) else {
                let known = records.filter(\.status.trained).map(\.id)
                let hint = Suggestion.closest(to: run, in: known).map { "; did you mean '\($0)'?" } ?? "; `retrain history \(id)` lists its runs"
                throw CommandError("no run '\(run)' in \(id)'s history\(hint)")
            }
            guard record.status.trained else {
                throw CommandError(
                    "\(run) \(record.status.rawValue)\(record.reason.map { " (\($0))" } ?? ""); only a trained run (completed or rejected) has a model to promote"
                )
            }
            return record
        }
    }

    /// Restores the champion before the current one of `id`: the one the current champion
    /// replaced when it was promoted (so rolling back again goes back one more).
    public func rollback(_ id: String, reason: String?, by who: String, now: Instant, warn: @escaping (String) -> Void) async throws(CommandError)
        -> ChampionChange
    {
        try await changeChampion(id, event: .rolledBack, reason: reason, by: who, now: now, warn: warn) {
            (entry, records, lineage) throws(CommandError) -> RunRecord in
            guard let current = entry.champion else { throw CommandError("\(id) has no champion; nothing to roll back") }
            let reports = absolute(settings.reports)
            guard
                let before = Reconciler.championBefore(
                    current.id, lineage: lineage, records: records, result: { RunResult.read(reports: reports, schedule: id, run: $0) })
            else {
                throw CommandError("\(current.id) is \(id)'s first champion; there is none before it to roll back to")
            }
            guard let record = records.last(where: { $0.id == before }) else {
                throw CommandError("the champion before \(current.id), \(before), is not in \(id)'s history; promote a run by hand instead")
            }
            return record
        }
    }

    /// The shared part: under the lock, `choose` picks the run to make champion from the entry, the
    /// ledger and the lineage; its model folder must be there. The lineage line is written before
    /// the state (which commits it), then champion.json, the reports and the notice.
    func changeChampion(
        _ id: String, event: LineageEvent.Kind, reason: String?, by who: String, now: Instant, warn: @escaping (String) -> Void,
        choose: (ScheduleState, [RunRecord], [LineageEvent]) throws(CommandError) -> RunRecord
    ) async throws(CommandError) -> ChampionChange {
        try requireConfig()
        let spec = report.schedules.first { $0.id == id }
        let (done, champion): (ChampionChange, Reconciler.Champion?) = try CommandError.from {
            try store.update(operation: event == .promoted ? "promote" : "rollback", now: now, only: [id], warn: warn) { change in
                var entry = try requireKnown(id, in: change.state)
                let records = store.history.read(id, legacy: change.state.legacy).records
                let lineage = store.lineage.read(id)
                let record = try choose(entry, records, lineage)
                let previous = entry.champion?.id
                if previous == record.id {
                    return (ChampionChange(schedule: id, change: "unchanged", champion: record.id, previous: nil, by: who, reason: reason), nil)
                }
                let folder = "\(settings.models)/\(id)/\(record.id)"
                guard FileSystem.isDirectory(absolute(folder)) else {
                    throw CommandError("\(record.id)'s model folder \(folder) is gone (deleted by hand?); choose another run")
                }
                let line = LineageEvent(at: now, event: event, run: record.id, previous: previous, by: who, reason: reason)
                try store.lineage.append(line, schedule: id)
                var pointer = RunPointer(record)
                pointer.finishedAt = now  // a champion's time is when it was promoted
                entry.champion = pointer
                change.state.schedules[id] = entry
                change.queue(
                    NoticeBook.championChanged(line, schedule: id, spec: spec, notify: spec?.notify ?? settings.defaultNotify, models: folder))
                let champion = Reconciler.Champion(
                    schedule: id, runID: record.id, slot: record.slot, modelFolder: folder, promotedAt: now, metrics: record.metrics ?? [:],
                    previousChampion: previous, promotedBy: who, reason: reason)
                let done = ChampionChange(
                    schedule: id, change: event == .promoted ? "promoted" : "rolled_back", champion: record.id, previous: previous, by: who,
                    reason: reason)
                return (done, champion)
            }
        }
        guard let champion else { return done }
        // After the state, which is the truth: a champion.json that cannot be written is a warning.
        let models = absolute("\(settings.models)/\(id)")
        AtomicFile.sweepTemporaries(in: models)  // a killed writer's (only a dead process's)
        do { try AtomicFile.writeJSON(champion, to: models + "/champion.json") } catch { warn("\(error)") }
        try writeReports(now: now, state: try CommandError.from { try store.load() })
        await deliverNotices(now: now) { warn($0.rendered) }
        return done
    }
}
