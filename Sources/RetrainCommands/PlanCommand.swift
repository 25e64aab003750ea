import ArgumentParser
import RetrainCore

/// `retrain plan`: what a reconcile would do now, without doing it.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a reconcile pass would do now: runs, skips, new and changed schedules, with reasons.",
        discussion: """
            Reads the schedules and the state file; changes nothing. The first-sight rule: a new or re-timed schedule is anchored when first seen, and only its slots from one hour before that on run, so a schedule merged just after its slot still runs it and none replays history.

            With --base REF (a git revision, read without a checkout): what the change since REF does to each schedule, field by field, with next slots; for pull-request comments (--format markdown). The reconcile plan follows when a state file exists.

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

    @Option(help: ArgumentHelp("Compare with the schedules at this git revision (branch, tag, commit).", valueName: "REF"))
    var base: String?

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func run() async throws {
        let now = try clock.instant()
        // The diff with --base compares every field; the plan alone reads only the timing and hashes.
        let workspace = Workspace.load(repository, readingState: true, planningOnly: base == nil)
        let settings = workspace.settings
        let folder = repository.schedules ?? settings.schedules
        let report = workspace.report
        let store = workspace.store
        let reconciler = workspace.reconciler(prune: prune, clockFixed: clock.isFixed)
        let observed = Reconciler.Observed(schedules: report.schedules, invalid: Set(report.invalidIDs), workingTree: nil)
        let plan: Plan
        do {
            plan = reconciler.plan(observed, state: try workspace.state(), now: now)
        } catch {
            Output.stderr("\(error)\n")
            throw ExitCode.failure
        }
        defer { LeftForExit.keep((workspace, plan)) }
        var changes = plan.hasChanges
        if let base {
            let diff: ScheduleDiff
            do {
                diff = try await ScheduleDiff.against(
                    revision: base, reader: GitCLI(), folder: folder, context: settings.validationContext,
                    current: report.schedules, now: now)
            } catch {
                Output.stderr("retrain plan: cannot read the schedules at \(base): \(error)\n")
                throw ExitCode.failure
            }
            // Without a state file (CI on a pull request) the reconcile plan would only say that every
            // schedule is new; the diff is the whole story then.
            let withPlan = SourceFile.exists(store.path)
            changes = !diff.isEmpty || (withPlan && plan.hasChanges)
            switch format {
            case .table:
                Output.stdout(
                    DiffRenderer.text(diff) + (withPlan ? "\n" + Output.table(PlanRenderer.tableRows(plan)) + PlanRenderer.summary(plan) + "\n" : ""))
            case .json:
                var members: [JSONValue.Member] = [.init("diff", DiffRenderer.json(diff))]
                if withPlan { members.append(.init("plan", PlanRenderer.json(plan))) }
                Output.stdout(JSONValue.object(members).pretty)
            case .markdown:
                Output.stdout(DiffRenderer.markdown(diff) + (withPlan ? "\n" + PlanRenderer.markdown(plan) : ""))
            }
        } else {
            switch format {
            case .table:
                var bytes = Output.tableBytes(PlanRenderer.tableRows(plan))
                bytes += (PlanRenderer.summary(plan) + "\n").utf8
                Output.stdout(bytes: bytes)
            case .json: Output.stdout(PlanRenderer.json(plan).pretty)
            case .markdown: Output.stdout(PlanRenderer.markdown(plan))
            }
        }
        if report.errorCount > 0 { throw ExitCode.failure }
        if detailedExitcode && changes { throw ExitCode(2) }
    }
}
