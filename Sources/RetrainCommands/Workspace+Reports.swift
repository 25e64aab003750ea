import ArgumentParser
import RetrainCore

#if canImport(Glibc)
    import Glibc
#endif

/// What every command that changes the state does after: reports and notifications.
extension Workspace {
    /// Writes the reports of `state` (a pass's result; the state on disk when nil): the pages of
    /// the schedules `scope` asks for and the overview. Returns the files whose content changed,
    /// relative to the reports folder. Prints and exits 1 when the state cannot be read or a
    /// report cannot be written.
    @discardableResult
    func writeReports(now: Instant, scope: ReportWriter.Scope = .changed, allMetrics: Bool = false, state known: StateFile? = nil, command: String)
        throws -> [String]
    {
        let state: StateFile
        do {
            // A state read in part serves one schedule's page; the whole overview reads the file.
            state = try known.flatMap { $0.isPartial && only == nil ? nil : $0 } ?? store.load()
        } catch {
            Output.stderr("retrain \(command): \(error)\n")
            throw ExitCode.failure
        }
        let writer = ReportWriter(
            folder: absolute(settings.reports), modelsLink: ReportWriter.link(reports: settings.reports, models: settings.models, root: root),
            memo: overviewMemo)
        do {
            if let only {
                let one = report.schedules.first { $0.id == only }.map { ScheduleOverview($0, state: state.schedules[only], now: now) }
                let sources = ReportWriter.Sources(
                    overviews: [], history: store.history, legacy: state.legacy, defaultNotify: settings.defaultNotify, now: now)
                if let one, let written = try writer.writeOne(one, sources: sources) { return written }
                // No overview to keep the other rows from (or the file broke since): read them all.
                return try Workspace.load(options).writeReports(
                    now: now, scope: scope, allMetrics: allMetrics, state: state.isPartial ? nil : state, command: command)
            }
            let overviews = ScheduleOverview.all(schedules: report.schedules, invalid: report.invalidIDs, state: state, now: now)
            let sources = ReportWriter.Sources(
                overviews: overviews, history: store.history, legacy: state.legacy, defaultNotify: settings.defaultNotify, now: now)
            return try writer.write(sources, scope: scope, allMetrics: allMetrics)
        } catch {
            Output.stderr("retrain \(command): \(error)\n")
            throw ExitCode.failure
        }
    }

    /// Delivers queued notifications (email, webhook) and logs what went; a delivery that fails is
    /// logged, stays queued for the next pass, and does not change the exit code.
    func deliverNotices(now: Instant, command: String) async {
        let notifier = Notifier(sendmail: settings.sendmail, from: settings.emailFrom) { name in getenv(name).map { String(cString: $0) } }
        do {
            let report = try await notifier.deliverQueued(store: store, now: now) { Output.stderr("retrain \(command): warning: \($0)\n") }
            for line in report.sent { Output.stderr("retrain \(command): \(line)\n") }
            for line in report.failed { Output.stderr("retrain \(command): warning: \(line)\n") }
        } catch {
            Output.stderr("retrain \(command): warning: notifications not delivered: \(error); they stay queued\n")
        }
    }

    /// Whether the reports were written at least once (the dashboard is there).
    var reportsExist: Bool { SourceFile.exists(absolute(settings.reports) + "/index.html") }

    /// `path` against the repository root.
    func absolute(_ path: String) -> String { Workspace.absolute(path, root: root) }

    static func absolute(_ path: String, root: String) -> String { path.hasPrefix("/") ? path : root + "/" + path }
}
