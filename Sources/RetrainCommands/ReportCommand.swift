import ArgumentParser
import RetrainCore

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
