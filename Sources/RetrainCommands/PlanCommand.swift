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

            Examples:
              retrain plan
              retrain plan --base origin/main --format markdown > plan.md
              retrain plan --backfill churn-daily --from 2026-11-01 --to 2026-11-07
            """
    )

    @Option(help: "Output format: table, json or markdown.", transform: OutputFormat.only(.table, .json, .markdown))
    var format: OutputFormat = .table

    @Flag(help: "Exit 2 when the plan has changes, 0 when it has none, 1 on errors.")
    var detailedExitcode = false

    @Flag(help: "Plan to remove the state of schedules whose files were deleted.")
    var prune = false

    @Option(help: ArgumentHelp("Compare with the schedules at this git revision (branch, tag, commit).", valueName: "REF"))
    var base: String?

    @Option(help: ArgumentHelp("Show what `retrain backfill ID` would run in the window --from/--to, instead of the pass.", valueName: "ID"))
    var backfill: String?

    @OptionGroup var window: BackfillWindow

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        if backfill != nil {
            _ = try window.ends()
        } else if window.from != nil || window.to != nil {
            throw ValidationError("--from and --to go with --backfill ID")
        }
    }

    func run() async throws {
        let now = try clock.instant()
        if let backfill {
            let (from, to) = try window.ends()
            try Output.render(
                try repository.workspace(only: backfill).backfill(backfill, from: from, to: to, max: window.max, now: now).0, as: format)
            return
        }
        // The diff with --base compares every field; the plan alone reads only the timing and hashes.
        let workspace = repository.workspace(readingState: true, planningOnly: base == nil)
        let report = workspace.report
        let reconciler = workspace.reconciler(prune: prune, clockFixed: clock.isFixed)
        let observed = Reconciler.Observed(schedules: report.schedules, invalid: Set(report.invalidIDs), workingTree: nil)
        let plan = try CommandError.from { reconciler.plan(observed, state: try workspace.state(), now: now) }
        defer { LeftForExit.keep((workspace, plan)) }
        var view = PlanView(plan: plan)
        if let base {
            let diff: ScheduleDiff
            do {
                diff = try await ScheduleDiff.against(
                    revision: base, reader: GitCLI(), folder: repository.schedules ?? workspace.settings.schedules,
                    context: workspace.settings.validationContext, current: report.schedules, now: now)
            } catch {
                throw CommandError("cannot read the schedules at \(base): \(error)")
            }
            view = PlanView(plan: plan, diff: diff, withPlan: SourceFile.exists(workspace.store.path))
        }
        try Output.render(view, as: format)
        if report.errorCount > 0 { throw ExitCode.failure }
        let changes = view.diff.map { !$0.isEmpty || (view.withPlan && plan.hasChanges) } ?? plan.hasChanges
        if detailedExitcode && changes { throw ExitCode(2) }
    }
}
