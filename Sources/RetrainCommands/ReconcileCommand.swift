import ArgumentParser
import Glibc
import RetrainCore

/// `retrain reconcile`: one pass (for cron), or passes every interval (`--watch`).
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Start the runs that are due and finish the runs that ended, then exit (for cron).",
        discussion: """
            Each pass reads the schedules and the state file, plans (as `retrain plan` shows), and carries out exactly that plan: records new and changed schedules, skips what is missed, finishes runs whose process ended (and schedules their retries), and starts due runs as detached processes that outlive this command. A later pass finishes them; so does --wait.

            A slot's run id comes from the schedule and the slot, and a pass holds the state lock from reading to writing, so two reconcilers never start the same slot twice. A broken schedule file is reported and the others still run.

            Exit codes: 0 done, 1 a run failed, a schedule file has errors, or the state cannot be used; 2 usage error.

            Examples:
              retrain reconcile                       # from cron: one pass
              retrain reconcile --watch --interval 5m
              retrain reconcile --wait --max-parallel 4
            """
    )

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

    @Option(help: "Output format: table or json (with --watch, one JSON object per line).", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @Option(help: "stderr as text lines, or json: one object per event (time, level, event, message, …) for log shippers.")
    var logFormat: LogFormat = .text

    @Flag(help: .private)  // fault injection for the tests: SIGKILL itself right after starting a run
    var crashAfterStart = false

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        if once && watch { throw ValidationError("--once and --watch contradict each other: --once does one pass, --watch keeps going") }
        if let maxParallel, !(1...100_000).contains(maxParallel) { throw ValidationError("--max-parallel must be from 1 to 100000") }
        guard case .success(let d) = TimeSpan.parse(interval), d.seconds >= 1 else {
            throw ValidationError("--interval '\(interval)' is not a duration; write it as 30s, 5m or 1h")
        }
    }

    func run() async throws {
        var options = ReconcileSession.Options()
        (options.maxParallel, options.prune, options.dryRun, options.wait, options.watch) = (maxParallel, prune, dryRun, wait, watch)
        options.intervalSeconds = Int((try? TimeSpan.parse(interval).get().seconds) ?? 300)
        (options.clockFixed, options.crashAfterStart) = (clock.isFixed, crashAfterStart)
        let running = try clock.running()
        let json = logFormat == .json
        let session = ReconcileSession(options: options) {
            guard json else { return repository.workspace(prefetchingState: true) }
            let workspace = Workspace.load(repository.paths, prefetchingState: true)
            JSONLog.diagnostics(workspace.report.diagnostics, time: running.now())
            return workspace
        }
        var output = ReconcileOutput(format: format, watch: watch, json: json, clock: running)
        do {
            let ok = try await session.run(clock: running) { output.show($0) }
            try output.finish()
            if !ok { throw ExitCode.failure }
        } catch let error as CommandError where json {
            // What stops the passes is a log event too, for the shipper that reads only JSON.
            JSONLog.write(time: running.now(), level: "error", event: "error", message: error.message)
            throw ExitCode(error.exitCode)
        }
    }
}
