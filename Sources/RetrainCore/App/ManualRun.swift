import Glibc

/// What `retrain run ID` does, without its command line: start one run of a schedule now and write
/// the reports; with `wait`, wait for it (writing the reports once it has gone on for a second),
/// record it, write the reports again and send its notices.
public struct ManualRun {
    /// One thing that happened, in order.
    public enum Event {
        /// The run started (or, for Slurm, was submitted): what the pass said of it, and its folder.
        case started(ActiveRun, result: String, folder: String)
        /// A run was recorded as ended: its id, status (`completed`, `rejected`, `failed`) and what came of it.
        case finished(run: String, status: String, detail: String)
        /// A line for stdout: a hint (how to see it end).
        case said(String)
        /// A line for the log: a warning ("warning: …") or a notice sent.
        case log(String)
        /// A progress line while it waits (every 10 s): the attempt, the time, the last log line.
        case progress(String)
    }

    public let workspace: Workspace
    public let id: String
    public let wait: Bool
    public let clockFixed: Bool
    /// The past slot it runs for (`retrain backfill`), or nil for a run by hand.
    public var backfilling: Instant? = nil

    public init(workspace: Workspace, id: String, wait: Bool, clockFixed: Bool, backfilling: Instant? = nil) {
        self.workspace = workspace
        self.id = id
        self.wait = wait
        self.clockFixed = clockFixed
        self.backfilling = backfilling
    }

    /// Starts it (and with `wait`, finishes it). Returns whether it went well: false when it could
    /// not start or, with `wait`, did not train. Throws when nothing could be done.
    public func run(clock: RunningClock, events: @escaping (Event) -> Void) async throws(CommandError) -> Bool {
        try workspace.requireConfig()
        try workspace.requireSchedules()
        let report = workspace.report
        guard let spec = report.schedules.first(where: { $0.id == id }) else {
            if report.invalidIDs.contains(id) { throw CommandError("the schedule file of '\(id)' has errors (above); fix them first") }
            let hint = Suggestion.closest(to: id, in: report.schedules.map(\.id)).map { "; did you mean '\($0)'?" } ?? "; `retrain list` lists them"
            throw CommandError("no schedule '\(id)' in \(workspace.paths.schedules ?? workspace.settings.schedules)\(hint)")
        }
        let reconciler = workspace.reconciler(clockFixed: clockFixed)
        let observed = await workspace.observed { events(.log("warning: \($0)")) }
        let warn = { (line: String) in events(.log("warning: \(line)")) }
        let (started, state) = try CommandError.from {
            try reconciler.startManual(spec, observed: observed, now: clock.now(), backfilling: backfilling, warn: warn)
        }
        switch started {
        case .busy(let run):
            throw CommandError(
                "\(id) has a run going (\(run.id), attempt \(run.attempt), since \(run.startedAt)); wait for it with `retrain reconcile --wait`")
        case .done(let why):
            events(.said("\(id): \(why)"))
            return true
        case .failed(let why):
            // Recorded as a failed attempt: with retries left and --wait, the retries are waited for.
            let failed = unstartable(why, spec: spec, state: state)
            events(.finished(run: failed.run, status: "failed", detail: failed.detail))
            guard wait, failed.retrying else {
                _ = try? workspace.writeReports(now: clock.now(), state: state)
                await workspace.deliverNotices(now: clock.now()) { events(.log($0.rendered)) }
                return false
            }
            var children: Set<Int32> = []
            return try await waitThrough(
                nil, retryOf: failed.run, spec: spec, state: state, reconciler: reconciler, observed: observed, clock: clock,
                children: &children, events: events)
        case .started(let run, let result):
            let folder = run.folder.map { AtomicFile.folderOf($0) } ?? workspace.settings.reports
            events(.started(run, result: result, folder: folder))
            var wait = wait
            if !wait, run.executor == "local", let why = Host.childrenDieWithThisProcess {
                events(.log("note: \(why): the run would die when it exits, so it waits for it (as --wait does)"))
                wait = true
            }
            // The reports show the run going; one that cannot be written does not stop the run. With
            // --wait they are written once it has gone on for a second (while it runs): a run that
            // ends sooner is shown once, when it is recorded.
            guard wait else {
                try workspace.writeReports(now: clock.now(), state: state)
                events(.said("the next `retrain reconcile` records how it ended (or use `retrain run --wait`)"))
                return true
            }
            var children: Set<Int32> = run.pid.map { [$0] } ?? []
            return try await waitThrough(
                run, retryOf: nil, spec: spec, state: state, reconciler: reconciler, observed: observed, clock: clock, children: &children,
                events: events)
        }
    }

    /// Waits for `running` to end and records it, then for each retry in turn (its retry_delay, its
    /// start, its end) until the run's final outcome; with `running` nil, starts at the retry of
    /// `retryOf`. Writes the reports and sends the notices; returns whether the run trained.
    func waitThrough(
        _ running: ActiveRun?, retryOf: String?, spec: ScheduleSpec, state: StateFile, reconciler: Reconciler, observed: Reconciler.Observed,
        clock: RunningClock, children: inout Set<Int32>, events: @escaping (Event) -> Void
    ) async throws(CommandError) -> Bool {
        let warn = { (line: String) in events(.log("warning: \(line)")) }
        var current = running
        var retrying = retryOf ?? running?.id ?? ""
        var state = state
        var trained = false
        // Through the retries: the final outcome, not the first failed attempt's.
        while true {
            if let going = current {
                if await !Workspace.waitForAny([going], executor: reconciler.executor, clock: clock, children: &children, seconds: 1) {
                    let now = clock.now()
                    let reporting = Background { [workspace, state] in _ = try workspace.writeReports(now: now, state: state) }
                    // A progress line 10 s after the start, then every 10 s.
                    var chunk = 9.0
                    while await !Workspace.waitForAny([going], executor: reconciler.executor, clock: clock, children: &children, seconds: chunk) {
                        events(.progress(progress(going, now: clock.now(), reconciler: reconciler)))
                        chunk = 10
                    }
                    _ = reporting.result()
                }
                let (finished, after, pruned) = try CommandError.from {
                    try reconciler.finishEnded([id], specs: [spec], observed: observed, now: clock.now(), warn: warn)
                }
                state = after
                for line in pruned { events(.log(line.line)) }
                for (action, _) in finished {
                    // The detail starts with the status the ledger recorded (`completed: auc 0.91`, `failed (exit 1)`).
                    let status = String(action.detail.prefix { $0.isLetter })
                    events(.finished(run: action.runID ?? id, status: status, detail: action.detail))
                }
                trained = !finished.contains(where: { $0.0.outcome?.status != .trained })
                if let active = after.schedules[id]?.activeRun, active.id == going.id, active.attempt > going.attempt {
                    current = active  // another pass started the retry already: wait for it
                    continue
                }
                current = nil
                retrying = going.id
            }
            guard let retry = state.schedules[id]?.retry, retry.id == retrying else { break }
            await waitUntil(retry.notBefore, clock: clock) { left in
                events(.progress("\(retry.id): attempt \(retry.attempt) starts in \(TimeSpan(seconds: Int(left))) (retry_delay)"))
            }
            let (start, afterStart) = try CommandError.from {
                try reconciler.startRetry(spec, runID: retry.id, observed: observed, now: clock.now(), warn: warn)
            }
            state = afterStart
            trained = false
            switch start {
            case .started(let next, let said):
                let folder = next.folder.map { AtomicFile.folderOf($0) } ?? workspace.settings.reports
                events(.started(next, result: "attempt \(next.attempt) " + said, folder: folder))
                if let pid = next.pid { children.insert(pid) }
                current = next
                continue
            case .failed(let why):
                // Recorded as a failed attempt: the next retry, if any, is waited for in turn.
                let failed = unstartable(why, spec: spec, state: state)
                events(.finished(run: failed.run, status: "failed", detail: failed.detail))
                continue
            case .busy(let other):
                events(.log("\(id): \(other.id) is going instead of the retry of \(retry.id)"))
            case .done(let why):
                events(.log("\(id): \(why)"))
            }
            break
        }
        try workspace.writeReports(now: clock.now(), state: state)
        await workspace.deliverNotices(now: clock.now()) { events(.log($0.rendered)) }
        return trained
    }

    /// An attempt that could not start (`why`), as the state recorded it: its run, the line a
    /// finished run gets (`failed (could not start: …); attempt 2 of 3 from …`), and whether a retry
    /// of it is pending.
    func unstartable(_ why: String, spec: ScheduleSpec, state: StateFile) -> (run: String, detail: String, retrying: Bool) {
        let entry = state.schedules[id]
        if let retry = entry?.retry {
            return (retry.id, "failed (\(why)); attempt \(retry.attempt) of \(spec.retries + 1) from \(retry.notBefore)", true)
        }
        return (entry?.lastRun?.id ?? id, "failed (\(why))", false)
    }

    /// `waiting for a@…: attempt 2, 1m10s, last log line: epoch 40/60: train loss 0.41`.
    func progress(_ run: ActiveRun, now: Instant, reconciler: Reconciler) -> String {
        let elapsed = TimeSpan(seconds: Int(max(0, now.seconds - run.startedAt.seconds)))
        var line = "waiting for \(run.id): attempt \(run.attempt), \(elapsed)"
        if let folder = run.folder, let last = Self.lastLine(of: reconciler.absolute(AtomicFile.folderOf(folder) + "/log.txt")) {
            line += ", last log line: " + last
        }
        return line
    }

    /// The last non-empty line of a file (read from its last 4 KB), at most 160 characters.
    static func lastLine(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        let start = max(0, size - 4096)
        var buffer = [UInt8](repeating: 0, count: Int(size - start))
        let n = pread(fd, &buffer, buffer.count, start)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[..<n], as: UTF8.self)
        guard let last = text.split(whereSeparator: \.isNewline).last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return clean.count > 160 ? String(clean.prefix(159)) + "…" : clean
    }

    /// Sleeps until `instant` on `clock`, calling `progress` with the seconds left at once and then
    /// every 10 s.
    func waitUntil(_ instant: Instant, clock: RunningClock, progress: (Int64) -> Void) async {
        let start = RunningClock.monotonicSeconds()
        var nextSaying = 0.0
        while clock.now() < instant {
            if RunningClock.monotonicSeconds() - start >= nextSaying {
                progress(instant.seconds - clock.now().seconds)
                nextSaying += 10
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
