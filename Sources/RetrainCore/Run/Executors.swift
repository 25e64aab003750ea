/// The executors a repository uses, as one: a request goes to the executor its provenance names
/// (the schedule's `executor`, or retrain.yaml's default), a started run back to the one that
/// recorded it. Observing many runs asks each executor once, for all of its runs.
public struct Executors: RunExecutor {
    public let local: LocalExecutor
    public let slurm: SlurmExecutor

    public init(local: LocalExecutor, slurm: SlurmExecutor) {
        self.local = local
        self.slurm = slurm
    }

    /// The default executor's name; requests and runs name their own.
    public var name: String { local.name }

    /// The executor called `name` (local for any other).
    public func executor(named name: String) -> any RunExecutor {
        name == slurm.name ? slurm : local
    }

    public var pollSeconds: Double { local.pollSeconds }

    /// How long to pause between looks at `runs`: as long as their slowest-to-ask executor allows.
    public func pollSeconds(for runs: [ActiveRun]) -> Double {
        runs.map { executor(named: $0.executor).pollSeconds }.max() ?? local.pollSeconds
    }

    public func start(_ request: RunRequest, now: Instant) -> RunStart {
        executor(named: request.provenance.executor).start(request, now: now)
    }

    public func observe(_ run: ActiveRun, now: Instant) -> RunObservation {
        executor(named: run.executor).observe(run, now: now)
    }

    public func cancel(_ run: ActiveRun) -> Result<String, CancelRefusal> {
        executor(named: run.executor).cancel(run)
    }

    public func observe(all runs: [ActiveRun], now: Instant) -> [String: RunObservation] {
        var seen = local.observe(all: runs.filter { $0.executor != slurm.name }, now: now)
        let onSlurm = runs.filter { $0.executor == slurm.name }
        if !onSlurm.isEmpty { seen.merge(slurm.observe(all: onSlurm, now: now)) { first, _ in first } }
        return seen
    }
}
