import Glibc

/// What every command that changes the state does after: reports and notifications.
extension Workspace {
    /// Writes the reports of `state` (a pass's result; the state on disk when nil): the pages of
    /// the schedules `scope` asks for and the overview. Returns the files whose content changed,
    /// relative to the reports folder. Throws when the state cannot be read or a report cannot be
    /// written.
    @discardableResult
    public func writeReports(now: Instant, scope: ReportWriter.Scope = .changed, allMetrics: Bool = false, state known: StateFile? = nil)
        throws(CommandError) -> [String]
    {
        let state: StateFile
        do {
            // A state read in part serves one schedule's page; the whole overview reads the file.
            state = try known.flatMap { $0.isPartial && only == nil ? nil : $0 } ?? store.load()
        } catch {
            throw CommandError(error)
        }
        let writer = ReportWriter(
            folder: absolute(settings.reports), modelsLink: ReportWriter.link(reports: settings.reports, models: settings.models, root: root),
            memo: overviewMemo)
        do {
            if let only {
                let one = report.schedules.first { $0.id == only }.map { ScheduleOverview($0, state: state.schedules[only], now: now) }
                let sources = ReportWriter.Sources(
                    overviews: [], history: store.history, legacy: state.legacy, defaultNotify: settings.defaultNotify, now: now,
                    lineage: store.lineage, retention: store.folderPath + "/retention")
                if let one, let written = try writer.writeOne(one, sources: sources) { return written }
                // No overview to keep the other rows from (or the file broke since): read them all.
                return try Workspace.load(paths).writeReports(
                    now: now, scope: scope, allMetrics: allMetrics, state: state.isPartial ? nil : state)
            }
            let overviews = ScheduleOverview.all(schedules: report.schedules, invalid: report.invalidIDs, state: state, now: now)
            let sources = ReportWriter.Sources(
                overviews: overviews, history: store.history, legacy: state.legacy, defaultNotify: settings.defaultNotify, now: now,
                lineage: store.lineage, retention: store.folderPath + "/retention")
            return try writer.write(sources, scope: scope, allMetrics: allMetrics)
        } catch {
            throw CommandError(error)
        }
    }

    /// Delivers queued notifications (email, webhook) and logs what went, a line at a time; a
    /// delivery that fails is logged ("warning: …"), stays queued for the next pass, and does not
    /// change the exit code.
    public func deliverNotices(now: Instant, log: (LogLine) -> Void) async {
        var notifier = Notifier(sendmail: settings.sendmail, from: settings.emailFrom) { name in getenv(name).map { String(cString: $0) } }
        notifier.now = now
        do {
            let report = try await notifier.deliverQueued(store: store, now: now) { log(.warning($0)) }
            for line in report.sent { log(.info(line)) }
            for line in report.failed { log(.warning(line)) }
        } catch {
            log(.warning("notifications not delivered: \(error); they stay queued"))
        }
    }

    /// Whether the reports were written at least once (the dashboard is there).
    /// Writes reconcile.prom (atomically, whatever the pass did): when the pass ended, how long it
    /// took, schedules by status, runs by schedule and status. A file of its own beside metrics.prom
    /// (the textfile collector reads every `*.prom`), so a pass with nothing to do does not read and
    /// rewrite the schedules' families (8 MB at 10,000 schedules).
    public func writePassMetrics(now: Instant, seconds: Double, state: StateFile) throws(CommandError) {
        let folder = absolute(settings.reports)
        let path = folder + "/reconcile.prom"
        // What a process killed while it wrote the reports left (only a dead writer's).
        AtomicFile.sweepTemporaries(in: ReportWriter.staging(folder))
        // Once, after an upgrade: metrics.prom loses the pass part older versions kept at its end, so
        // no metric is in both files (the collector refuses a metric it reads twice).
        if !SourceFile.exists(path), case .success(let old) = SourceFile.read(folder + "/metrics.prom", limit: Int.max) {
            let families = PrometheusReport.split(old).families
            if families.count < old.count {
                do { try AtomicFile.write(Array(families), to: folder + "/metrics.prom") } catch {
                    throw CommandError("cannot write \(settings.reports)/metrics.prom: \(error)")
                }
            }
        }
        let figures = PrometheusReport.PassFigures(
            at: now, seconds: seconds, schedules: report.schedules, invalid: report.invalidIDs, state: state)
        do {
            guard SourceFile.makeFolders(folder) else { throw CommandError("cannot create \(settings.reports)") }
            // Not synced: the next pass writes it again, and a pass every few minutes need not
            // wait on the disk for it.
            try AtomicFile.write(PrometheusReport.passSection(figures), to: path, durable: false)
        } catch {
            throw CommandError("cannot write \(settings.reports)/reconcile.prom: \(error)")
        }
    }

    /// Whether the reports folder holds what this version's incremental writes start from
    /// (`overview.json`, written with every report since the ledgers came). When it does not (a new
    /// repository, a deleted folder, or a version-1 retrain's reports once the first pass of this one
    /// migrated its state), a pass writes every report, even one with nothing to do: otherwise the
    /// old dashboard, without the schedules' pages, would stay until something ran.
    public var reportsExist: Bool { SourceFile.exists(absolute(settings.reports) + "/overview.json") }

    /// `path` against the repository root.
    public func absolute(_ path: String) -> String { Workspace.absolute(path, root: root) }

    public static func absolute(_ path: String, root: String) -> String { path.hasPrefix("/") ? path : root + "/" + path }
}
