import ArgumentParser
import RetrainCore
#if canImport(Glibc)
import Glibc
#endif

/// `retrain report`: every report rebuilt from the state file and the run folders.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild every report from the state file and the run folders.",
        discussion: """
        Writes, under the reports folder: <schedule>/comparison.md and .json (the latest trained run against the previous one and the champion it was judged against), summary.md (every schedule in one table, for a pull-request comment or a CI job summary), metrics.prom (for the Prometheus node exporter's textfile collector) and index.html (the dashboard: open it in a browser). Each file is replaced atomically, and only when its content changed.

        `retrain reconcile` and `retrain run --wait` write them too, after every pass that changed something; this command is for after a reports folder was deleted, or to list every metric with --all.
        """
    )

    @Flag(help: "List every metric in the comparisons, not only those that changed.")
    var all = false

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() throws {
        let now = try clock.instant()
        let workspace = Workspace.load(repository)
        try workspace.requireConfig("report")
        let written = try workspace.writeReports(now: now, all: all, command: "report")
        let folder = workspace.settings.reports
        Output.stdout(written.isEmpty ? "reports in \(folder)/ are up to date\n" : written.map { "wrote \(folder)/\($0)\n" }.joined())
        Output.stdout("open \(folder)/index.html in a browser for the dashboard\n")
        if workspace.report.errorCount > 0 { throw ExitCode.failure }
    }
}

extension Workspace {
    /// Builds every report from the state now on disk and writes the files that changed. Returns
    /// them, relative to the reports folder. Prints and exits 1 when the state cannot be read.
    @discardableResult
    func writeReports(now: Instant, all: Bool = false, command: String) throws -> [String] {
        let state: StateFile
        do {
            state = try store.load()
        } catch {
            Output.stderr("retrain \(command): \(error)\n")
            throw ExitCode.failure
        }
        let writer = ReportWriter(folder: absolute(settings.reports))
        let overviews = ScheduleOverview.all(schedules: report.schedules, invalid: report.invalidIDs, state: state, now: now)
        let set = ReportSet(overviews: overviews, defaultNotify: settings.defaultNotify, now: now, readResult: writer.readResult)
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
