/// What a version-1 state file held beyond what version 2 keeps: each schedule's last 50 runs and its
/// queued notices. Read-only commands read it in place; the first command that writes the state moves
/// it into the ledgers and the outbox (`StateMigration.migrate`).
public struct LegacyHistory: Sendable, Equatable {
    /// Each schedule's runs, oldest first, as compact JSON lines (ledger lines as they are).
    public var runs: [String: [[UInt8]]]
    /// Notices not yet delivered, oldest first within each schedule.
    public var notices: [Notice]
    /// The file's bytes, kept as `state.json.v1` when it is migrated.
    public var source: [UInt8]
}

/// Version 1 → 2. Version 1 kept every schedule's last 50 runs and its notices inside the state, so
/// every pass rewrote all of them; version 2 keeps them in a ledger per schedule and an outbox folder.
///
/// The migration is done under the state lock by the first command that writes: it keeps the old
/// file as `state.json.v1`, writes each schedule's runs to its ledger (merged with whatever a
/// migration that died part-way wrote), the notices to the outbox, syncs the file system once, and
/// only then saves the version-2 state. Until that save the state file is still version 1, so a crash
/// anywhere leaves a migration that the next command does again, and finishes.
public enum StateMigration {
    /// Reads a version-1 file: the version-2 state it becomes, with its runs and notices as legacy.
    ///
    /// The text is checked whole first without keeping its values (a 10,000-schedule file is 184 MB,
    /// and a tape of all of it is another 200), then each schedule's entry is decoded from its own
    /// text, on every core. An entry that does not decode is located by reading the file whole.
    static func decodeVersion1(_ bytes: [UInt8]) throws -> StateFile {
        struct Top: Decodable { var version: Int }
        let (top, members) = try bytes.withUnsafeBufferPointer { try JSONReader.decode(Top.self, from: $0, listing: "schedules", shallow: true) }
        guard top.version == 1 else { return try decodeVersion1Whole(bytes) }
        let entries = bytes.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let all = buffer  // read only, while the workers run
            return Parallel.map(members) { member in
                try? JSONReader.decode(StateFileV1.Entry.self, from: UnsafeBufferPointer(rebasing: all[member.value]))
            }
        }
        guard entries.allSatisfy({ $0 != nil }) else { return try decodeVersion1Whole(bytes) }
        // A key given twice: the last one, as a dictionary decoded from the whole file has it.
        var schedules: [String: StateFileV1.Entry] = Dictionary(minimumCapacity: members.count)
        for (member, entry) in zip(members, entries) { schedules[member.key] = entry }
        return try state(fromVersion1: schedules, source: bytes)
    }

    /// `decodeVersion1` of the file read whole: what it says is wrong is located in it.
    static func decodeVersion1Whole(_ bytes: [UInt8]) throws -> StateFile {
        try state(fromVersion1: JSONReader.decode(StateFileV1.self, from: bytes).schedules, source: bytes)
    }

    static func state(fromVersion1 schedules: [String: StateFileV1.Entry], source bytes: [UInt8]) throws -> StateFile {
        var state = StateFile()
        state.schedules = Dictionary(minimumCapacity: schedules.count)
        var runs: [String: [[UInt8]]] = Dictionary(minimumCapacity: schedules.count)
        var notices: [Notice] = []
        for (id, entry) in schedules {
            var new = ScheduleState(specHash: entry.specHash, timingHash: entry.timingHash, anchor: entry.anchor)
            new.sourceHash = entry.sourceHash
            new.lastSlot = entry.lastSlot
            new.trigger = entry.trigger
            new.activeRun = entry.activeRun
            new.retry = entry.retry
            new.consecutiveFailures = entry.consecutiveFailures
            new.orphaned = entry.orphaned
            new.staleNoticeFor = entry.staleNoticeFor
            if let champion = entry.champion { new.champion = RunPointer(champion) }
            let lines = entry.history.map(\.bytes)
            // Only the newest lines are decoded: the latest run, and the latest trained one.
            for line in lines.reversed() {
                let record = try JSONReader.decode(RunRecord.self, from: line)
                if new.lastRun == nil { new.lastRun = RunBrief(record) }
                if record.status.trained {
                    new.lastTrained = RunPointer(record)
                    break
                }
            }
            state.schedules[id] = new
            if !lines.isEmpty { runs[id] = lines }
            for notice in entry.outbox ?? [] {
                let period = notice.runID == nil ? (entry.staleNoticeFor ?? notice.at) : notice.at
                notices.append(
                    Notice(
                        key: Notice.key(schedule: id, event: notice.event, runID: notice.runID, period: period), schedule: id,
                        event: notice.event, runID: notice.runID, at: notice.at, subject: notice.subject, text: notice.text,
                        details: notice.details, email: notice.email, webhook: notice.webhook, tries: notice.tries, lastError: notice.lastError))
            }
        }
        notices.sort { ($0.schedule, $0.at.seconds) < ($1.schedule, $1.at.seconds) }
        state.legacy = LegacyHistory(runs: runs, notices: notices, source: bytes)
        return state
    }

    /// Moves `state.legacy` into the ledgers and the outbox; the caller saves the state next. Every step
    /// can be done again: the backup is the same bytes, ledgers are merged by run id, notices are
    /// written under their keys.
    static func migrate(_ state: inout StateFile, store: StateStore) throws(StateError) {
        guard let legacy = state.legacy else { return }
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(legacy.source, to: store.backupPath)
            if !legacy.runs.isEmpty {
                guard SourceFile.makeFolders(store.history.folder) else {
                    throw AtomicFile.Failure(path: store.history.folder, reason: "cannot create the folder")
                }
            }
            // Never dropped in silence: a run of a schedule whose id cannot name a file stops the
            // migration before any ledger is written.
            if let id = legacy.runs.keys.sorted(by: codePointLess).first(where: { !FileSystem.isPlainName($0) }) {
                throw AtomicFile.Failure(
                    path: store.path, reason: "the schedule id '\(id)' cannot name its ledger file; rename it in the file to its schedule file's name"
                )
            }
            // On every core: 10,000 ledgers are 10,000 files made.
            let history = store.history
            let failures = Parallel.map(Array(legacy.runs)) { entry -> AtomicFile.Failure? in
                do throws(AtomicFile.Failure) {
                    try history.merge(entry.key, lines: entry.value)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            try store.outbox.write(legacy.notices)
            // One flush for every ledger written above, then the folder's entries.
            FileSystem.sync(folder: store.history.folder)
        } catch {
            throw StateError.writeFailed(path: store.path, reason: "migrating it from version 1: \(error.reason)")
        }
        var keys = Set(state.outbox)
        for notice in legacy.notices where keys.insert(notice.key).inserted { state.outbox.append(notice.key) }
        state.legacy = nil
    }
}

// MARK: - Version 1, as retrain wrote it until version 2

/// `state.json` version 1.
struct StateFileV1: Decodable {
    var version: Int
    var schedules: [String: Entry]

    struct Entry: Decodable {
        var specHash: String
        var sourceHash: String?
        var timingHash: String
        var anchor: Instant
        var lastSlot: Instant?
        var trigger: String?
        var activeRun: ActiveRun?
        var champion: RunRecord?
        var consecutiveFailures: Int
        var history: [JSONReader.RawText]
        var orphaned: Bool
        var retry: PendingRetry?
        var outbox: [NoticeV1]?
        var staleNoticeFor: Instant?

        enum CodingKeys: String, CodingKey {
            case specHash = "spec_hash"
            case sourceHash = "source_hash"
            case timingHash = "timing_hash"
            case anchor
            case lastSlot = "last_slot"
            case trigger
            case activeRun = "active_run"
            case champion
            case consecutiveFailures = "consecutive_failures"
            case history, orphaned, retry
            case outbox
            case staleNoticeFor = "stale_notice_for"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            specHash = try c.decode(String.self, forKey: .specHash)
            sourceHash = try c.decodeIfPresent(String.self, forKey: .sourceHash)
            timingHash = try c.decode(String.self, forKey: .timingHash)
            anchor = try c.decode(Instant.self, forKey: .anchor)
            lastSlot = try c.decodeIfPresent(Instant.self, forKey: .lastSlot)
            trigger = try c.decodeIfPresent(String.self, forKey: .trigger)
            activeRun = try c.decodeIfPresent(ActiveRun.self, forKey: .activeRun)
            champion = try c.decodeIfPresent(RunRecord.self, forKey: .champion)
            consecutiveFailures = try c.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? 0
            history = try c.decodeIfPresent([JSONReader.RawText].self, forKey: .history) ?? []
            orphaned = try c.decodeIfPresent(Bool.self, forKey: .orphaned) ?? false
            retry = try c.decodeIfPresent(PendingRetry.self, forKey: .retry)
            outbox = try c.decodeIfPresent([NoticeV1].self, forKey: .outbox)
            staleNoticeFor = try c.decodeIfPresent(Instant.self, forKey: .staleNoticeFor)
        }
    }

    /// A version-1 notice: a version-2 one without its key and schedule.
    struct NoticeV1: Decodable {
        var event: NotifySpec.Event
        var runID: String?
        var at: Instant
        var subject: String
        var text: String
        var details: JSONValue
        var email: [String]
        var webhook: String?
        var tries: Int
        var lastError: String?

        enum CodingKeys: String, CodingKey {
            case event
            case runID = "run_id"
            case at, subject, text, details, email, webhook, tries
            case lastError = "last_error"
        }
    }
}
