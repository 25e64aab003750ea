import ArgumentParser
import RetrainCore

/// `retrain report`: every report rebuilt from the state file and the run folders.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Rebuild the reports that are out of date or missing (with --all, every schedule's) from the state, the ledgers and the run folders.",
        discussion: """
            Writes, under the reports folder: index.html (the overview: every schedule, filtered from the address; open it in a browser), <schedule>/index.html (a schedule's page: gates, champion lineage, metric charts, every run with its params, provenance and files), <schedule>/comparison.md and .json (the latest trained run against the previous one and the champion it was judged against), summary.md (every schedule in one table, for a pull-request comment or a CI job summary), metrics.prom (for the Prometheus node exporter's textfile collector) and overview.json (the overview's rows, which later passes start from). Each file is replaced atomically, and only when its content changed.

            `retrain reconcile` and `retrain run` write them too, after every pass that changed something, rebuilding only the pages of schedules that changed. This command rebuilds those and any page that is missing; with --all, every schedule's pages.

            Examples:
              retrain report
              retrain report --all
            """
    )

    @Flag(help: "Rebuild every schedule's pages, not only those whose sources changed or that are missing.")
    var all = false

    @Flag(name: .customLong("all-metrics"), help: "List every metric in the comparisons, not only those that changed.")
    var allMetrics = false

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() throws {
        let now = try clock.instant()
        let workspace = repository.workspace()
        try workspace.requireConfig()
        try workspace.requireSchedules()
        let written = try workspace.writeReports(now: now, scope: all || allMetrics ? .everything : .changed, allMetrics: allMetrics)
        try Output.render(ReportResult(folder: workspace.settings.reports, written: written), as: format)
        if workspace.report.errorCount > 0 { throw ExitCode.failure }
    }
}

/// What `retrain report` wrote.
struct ReportResult: Presentable {
    var folder: String
    /// Files written, relative to the folder (none: all were up to date).
    var written: [String]

    func table() -> String {
        (written.isEmpty ? "reports in \(folder)/ are up to date\n" : written.map { "wrote \(folder)/\($0)\n" }.joined())
            + "open \(folder)/index.html in a browser for the dashboard\n"
    }

    var payload: Payload { Payload(folder: folder, written: written, upToDate: written.isEmpty, dashboard: "\(folder)/index.html") }

    struct Payload: Encodable {
        var folder: String
        var written: [String]
        var upToDate: Bool
        var dashboard: String

        enum CodingKeys: String, CodingKey {
            case folder, written
            case upToDate = "up_to_date"
            case dashboard
        }
    }
}
