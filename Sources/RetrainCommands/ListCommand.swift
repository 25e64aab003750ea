import ArgumentParser
import RetrainCore

/// `retrain list`: every schedule with its status, last run and next run.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List schedules with their status, last run and next slot.",
        discussion: """
            Statuses: new (never reconciled), scheduled, running, retrying (a failed attempt waits for its retry), completed, rejected, failed, skipped (the latest run), paused, invalid (the file has errors), orphaned (the file was deleted; history kept).

            Examples:
              retrain list --status failed
              retrain list --label team=people-analytics --format json
            """
    )

    @Option(help: "Only schedules of this model.")
    var model: String?

    @Option(
        help: ArgumentHelp(
            "Only schedules with this status (\(ScheduleOverview.Status.allCases.map(\.rawValue).joined(separator: ", "))).", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Only schedules with this label.", valueName: "key=value"))
    var label: String?

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        if let status, ScheduleOverview.Status(rawValue: status) == nil {
            throw ValidationError(
                "'\(status)' is not a status; use one of \(ScheduleOverview.Status.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let label, !label.contains("=") { throw ValidationError("--label takes key=value, e.g. --label team=people-analytics") }
    }

    func run() throws {
        let now = try clock.instant()
        let snapshot = try RepositorySnapshot.load(repository)
        var rows = snapshot.overviews(now: now)
        if let model { rows = rows.filter { $0.spec?.model == model } }
        if let status { rows = rows.filter { $0.status.rawValue == status } }
        if let label {
            let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
            rows = rows.filter { $0.hasLabel(parts[0], parts.count > 1 ? parts[1] : "") }
        }
        try Output.render(ScheduleList(now: now, rows: rows), as: format)
        if snapshot.report.errorCount > 0 { throw ExitCode.failure }
    }
}
