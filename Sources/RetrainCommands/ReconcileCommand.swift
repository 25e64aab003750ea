import ArgumentParser
import RetrainCore

#if canImport(Glibc)
    import Glibc
#endif

/// `retrain reconcile`: one pass (for cron), or passes every interval (`--watch`).
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Start the runs that are due and finish the runs that ended, then exit (for cron).",
        discussion: """
            Each pass reads the schedules and the state file, plans (as `retrain plan` shows), and carries out exactly that plan: records new and changed schedules, skips what is missed, finishes runs whose process ended (and schedules their retries), and starts due runs as detached processes that outlive this command. A later pass finishes them; so does --wait.

            A slot's run id comes from the schedule and the slot, and a pass holds the state lock from reading to writing, so two reconcilers never start the same slot twice. A broken schedule file is reported and the others still run.

            Exit codes: 0 done, 1 a run failed, a schedule file has errors, or the state cannot be used; 2 usage error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Flag(help: "One pass and exit (the default; kept for the older `--once`).")
    var once = false

    @Flag(help: "Keep reconciling every --interval until SIGINT or SIGTERM; a pass under way is finished first.")
    var watch = false

    @Option(help: ArgumentHelp("Time between passes with --watch, e.g. 30s, 5m, 1h.", valueName: "D"))
    var interval: String = "5m"

    @Flag(
        help:
            "After the pass, wait for the runs going on this machine to end, finish them in further passes (starting what becomes due), until none is going."
    )
    var wait = false

    @Option(help: ArgumentHelp("Most runs going at once (default: retrain.yaml's max_parallel, else 2).", valueName: "N"))
    var maxParallel: Int?

    @Flag(help: "Show what a pass would do and change nothing.")
    var dryRun = false

    @Flag(help: "Forget the state of schedules whose files were deleted.")
    var prune = false

    @Option(help: "Output format: table or json (with --watch, one JSON object per line).")
    var format: Format = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        if once && watch { throw ValidationError("--once and --watch contradict each other: --once does one pass, --watch keeps going") }
        if let maxParallel, !(1...100_000).contains(maxParallel) { throw ValidationError("--max-parallel must be from 1 to 100000") }
        guard case .success(let d) = Duration.parse(interval), d.seconds >= 1 else {
            throw ValidationError("--interval '\(interval)' is not a duration; write it as 30s, 5m or 1h")
        }
    }

    func run() async throws {
        let time = try clock.running()
        let intervalSeconds = (try? Duration.parse(interval).get().seconds) ?? 300
        if watch { StopSignals.install() }
        var failed = false
        var passes: [JSONValue] = []
        var children = Set<Int32>()
        repeat {
            let workspace = Workspace.load(repository)
            try workspace.requireConfig("reconcile")
            try workspace.requireSchedules("reconcile")
            failed = failed || workspace.report.errorCount > 0
            var reconciler = workspace.reconciler(maxParallel: maxParallel, prune: prune, clockFixed: clock.isFixed)
            if !dryRun { workspace.rememberHiddenEnvironment() }
            // Fault injection for the tests: die right after starting a run, before the state is saved.
            if getenv("RETRAIN_TEST_KILL_AFTER_START") != nil { reconciler.afterStart = { kill(getpid(), SIGKILL) } }
            if dryRun {
                let observed = await workspace.observed()
                let plan = try stateOrExit { try reconciler.preview(observed, now: time.now()) }
                show(plan: plan, results: nil, failures: 0, passes: &passes)
                break
            }
            // With --wait, passes follow each other until no run is going on this machine.
            while true {
                let observed = await workspace.observed()
                let pass = try stateOrExit {
                    try reconciler.pass(observed, now: time.now(), warn: { Output.stderr("retrain reconcile: warning: \($0)\n") })
                }
                failed = failed || pass.failures > 0
                show(plan: pass.plan, results: pass.results, failures: pass.failures, passes: &passes)
                if pass.plan.actions.contains(where: { $0.kind != .noop }) || !workspace.reportsExist {
                    failed = (try? workspace.writeReports(now: time.now(), state: pass.state, command: "reconcile")) == nil || failed
                }
                if pass.queuedNotices > 0 { await workspace.deliverNotices(now: time.now(), command: "reconcile") }
                for (_, run) in pass.started { if let pid = run.pid { children.insert(pid) } }
                guard wait, !stopRequested.load(ordering: .relaxed) else { break }
                // Runs on another machine are not waited for; one that already ended is finished by
                // the next pass straight away.
                let going = pass.going.map(\.run).filter {
                    if case .elsewhere = reconciler.executor.observe($0, now: time.now()) { return false }
                    return true
                }
                guard !going.isEmpty else { break }
                Output.stderr(
                    "waiting for \(going.count) run\(going.count == 1 ? "" : "s"): \(going.map(\.id).sorted().prefix(5).joined(separator: ", "))\(going.count > 5 ? ", …" : "")\n"
                )
                await Workspace.waitForAny(going, executor: reconciler.executor, clock: time, children: &children)
            }
            LocalExecutor.reap(&children)
        } while watch && StopSignals.sleep(Double(intervalSeconds))
        if format == .json && !watch { Output.stdout(JSONValue.object(["passes": .array(passes)]).pretty) }
        if failed { throw ExitCode.failure }
    }

    /// Runs `body`, turning a state file problem into its message and exit 1.
    func stateOrExit<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StateError {
            Output.stderr("retrain reconcile: \(error)\n")
            throw ExitCode.failure
        }
    }

    func show(plan: Plan, results: [String?]?, failures: Int, passes: inout [JSONValue]) {
        let shown = plan.actions.indices.filter { plan.actions[$0].kind != .noop || plan.actions[$0].reason == .maxParallel }
        switch format {
        case .json:
            let actions = plan.actions.indices.map { index -> JSONValue in
                guard case .object(var members) = PlanRenderer.json(plan.actions[index]) else { return .null }
                if let results { members.append(.init("result", results[index].map(JSONValue.string) ?? .null)) }
                return .object(members)
            }
            let pass = JSONValue.object([
                "now": .string(plan.now.description), "dry_run": .bool(results == nil), "failures": .int(failures), "actions": .array(actions),
            ])
            if watch { Output.stdout(pass.compact + "\n") } else { passes.append(pass) }
        case .table:
            var rows = [["SCHEDULE", "ACTION", "REASON", "RUN", results == nil ? "DETAIL" : "RESULT"]]
            for index in shown {
                let a = plan.actions[index]
                let run = a.runID.map { a.attempt > 1 ? "\($0) #\(a.attempt)" : $0 } ?? (a.slot?.instant.description ?? "-")
                rows.append([a.schedule, a.kind.rawValue, a.reason.rawValue, run, results?[index] ?? a.detail])
            }
            let counts = PlanRenderer.counts(plan, including: PlannedAction.Kind.allCases.filter { $0 != .noop })
            let head = results == nil ? "dry run at \(plan.now) (nothing changed)" : "reconcile at \(plan.now)"
            let summary = head + ": " + (counts.isEmpty ? "nothing to do" : counts) + (failures > 0 ? "; \(failures) failed" : "")
            Output.stdout((shown.isEmpty ? "" : Output.table(rows)) + summary + "\n")
        }
    }
}
