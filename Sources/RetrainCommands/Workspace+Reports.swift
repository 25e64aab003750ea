import ArgumentParser
import RetrainCore
#if canImport(Glibc)
import Glibc
#endif

/// What every command that changes the state does after: reports and notifications.
extension Workspace {
    /// Builds every report from `state` (a pass's result; the state on disk when nil) and writes the
    /// files that changed. Returns them, relative to the reports folder. Prints and exits 1 when the
    /// state cannot be read or a report cannot be written.
    @discardableResult
    func writeReports(now: Instant, all: Bool = false, state known: StateFile? = nil, command: String) throws -> [String] {
        let state: StateFile
        do {
            state = try known ?? store.load()
        } catch {
            Output.stderr("retrain \(command): \(error)\n")
            throw ExitCode.failure
        }
        let writer = ReportWriter(folder: absolute(settings.reports))
        let overviews = ScheduleOverview.all(schedules: report.schedules, invalid: report.invalidIDs, state: state, now: now)
        let history = store.history
        let set = ReportSet(overviews: overviews, defaultNotify: settings.defaultNotify, now: now,
                            history: { history.read($0, legacy: state.legacy).records }, readResult: writer.readResult)
        do {
            return try writer.write(set, all: all)
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
    func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : root + "/" + path }
}
