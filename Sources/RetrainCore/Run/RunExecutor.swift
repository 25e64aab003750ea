/// How starting a run went.
public enum RunStart: Sendable, Equatable {
    /// It was started; state records this.
    case started(ActiveRun)
    /// An earlier pass that died before saving the state had started it already: recorded as is,
    /// never started twice.
    case alreadyStarted(ActiveRun)
    /// It could not be started: why. Recorded as a failed attempt (retries apply).
    case failed(String)
    /// Where it runs cannot take it now (`sbatch` missing, the Slurm controller unreachable), and
    /// nothing was started: why. The same attempt is tried again by the next pass, and no retry is
    /// spent on it.
    case unavailable(String)
}

/// Where runs execute. A pass starts runs through it and asks it how started runs are doing; Slurm
/// and other executors plug in here.
public protocol RunExecutor: Sendable {
    /// The name recorded in state and results (`local`, `slurm`).
    var name: String { get }
    /// How long a waiting command pauses at most between looks at a run: looking costs a stat for
    /// a local run, a call to the batch system for a Slurm one.
    var pollSeconds: Double { get }
    /// `pollSeconds` for waiting on `runs` (a set of executors answers for the slowest of theirs).
    func pollSeconds(for runs: [ActiveRun]) -> Double
    /// Starts `request` at `now`, unless its attempt was started already.
    func start(_ request: RunRequest, now: Instant) -> RunStart
    /// How `run` is doing.
    func observe(_ run: ActiveRun, now: Instant) -> RunObservation
    /// How each of `runs` is doing, by run id: one question to the batch system for all of them.
    func observe(all runs: [ActiveRun], now: Instant) -> [String: RunObservation]
    /// Stops `run` and everything it started (`retrain cancel`): what was done, or why it could not be.
    func cancel(_ run: ActiveRun) -> Result<String, CancelRefusal>
}

/// Why a run could not be cancelled.
public struct CancelRefusal: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

extension RunExecutor {
    public var pollSeconds: Double { 0.05 }

    public func pollSeconds(for runs: [ActiveRun]) -> Double { pollSeconds }

    public func observe(all runs: [ActiveRun], now: Instant) -> [String: RunObservation] {
        var seen: [String: RunObservation] = [:]
        for run in runs { seen[run.id] = observe(run, now: now) }
        return seen
    }
}
