/// How starting a run went.
public enum RunStart: Sendable, Equatable {
    /// It was started; state records this.
    case started(ActiveRun)
    /// An earlier pass that died before saving the state had started it already: recorded as is,
    /// never started twice.
    case alreadyStarted(ActiveRun)
    /// It could not be started: why.
    case failed(String)
}

/// Where runs execute. A pass starts runs through it and asks it how started runs are doing; Slurm
/// and other executors plug in here.
public protocol RunExecutor: Sendable {
    /// The name recorded in state and results (`local`, `slurm`).
    var name: String { get }
    /// Starts `request` at `now`, unless its attempt was started already.
    func start(_ request: RunRequest, now: Instant) -> RunStart
    /// How `run` is doing.
    func observe(_ run: ActiveRun, now: Instant) -> RunObservation
}
