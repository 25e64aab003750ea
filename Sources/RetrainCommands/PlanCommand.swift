import ArgumentParser
import RetrainCore

/// `retrain plan`: what a reconcile would do now, without doing it.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a reconcile pass would do now: runs, skips, new and changed schedules, with reasons.",
        discussion: """
        Reads the schedules and the state file; changes nothing. The first-sight rule: a new or re-timed schedule is anchored when first seen, and only its slots from one hour before that on run, so a schedule merged just after its slot still runs it and none replays history.

        With --detailed-exitcode: 0 nothing to do, 2 changes planned, 1 errors (as terraform plan).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown }

    @Option(help: "Output format: table, json or markdown.")
    var format: Format = .table

    @Flag(help: "Exit 2 when the plan has changes, 0 when it has none, 1 on errors.")
    var detailedExitcode = false

    @Flag(help: "Plan to remove the state of schedules whose files were deleted.")
    var prune = false

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() throws {
        let now = try clock.instant()
        let (config, configDiagnostics) = repository.loadConfig()
        let settings = config ?? RepositoryConfig()
        let folder = repository.schedules ?? settings.schedules
        let report = Validator.validate(paths: [folder], context: settings.validationContext, extra: configDiagnostics)
        let renderer = DiagnosticRenderer(colour: Output.colour(forStderr: true))
        Output.stderr(report.diagnostics.map(renderer.render).joined())
        let state: StateFile
        do {
            state = try repository.stateStore(settings).load()
        } catch {
            Output.stderr("\(error)\n")
            throw ExitCode.failure
        }
        let invalid = Set(report.invalidIDs)
        let plan = Planner.plan(Planner.Input(schedules: report.schedules, invalid: invalid, state: state, now: now, prune: prune))
        switch format {
        case .table: Output.stdout(Output.table(PlanRenderer.tableRows(plan)) + PlanRenderer.summary(plan) + "\n")
        case .json: Output.stdout(PlanRenderer.json(plan).pretty)
        case .markdown: Output.stdout(PlanRenderer.markdown(plan))
        }
        if report.errorCount > 0 { throw ExitCode.failure }
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}
