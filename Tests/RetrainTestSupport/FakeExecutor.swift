import Glibc
import RetrainCore
import Synchronization

/// A `RunExecutor` that starts nothing: it records what it was asked to start and reports whatever
/// the test says each run is doing (running until told otherwise). It leaves `request.json` in the
/// attempt folder, as a real executor does, so the reconciler finds the request when it finishes a run.
public final class FakeExecutor: RunExecutor, Sendable {
    public let name = "fake"
    /// The repository root the attempt folders are relative to.
    public let root: String
    private struct Book {
        var started: [RunRequest] = []
        var observations: [String: RunObservation] = [:]
        var refusals: [String: RunStart] = [:]
        var cancelled: [String] = []
    }
    private let book = Mutex(Book())

    /// An executor for the repository at `root`.
    public init(root: String) {
        self.root = root
    }

    /// Every request started, in order.
    public var started: [RunRequest] { book.withLock { $0.started } }

    /// From now on, `runID` is doing `observation`.
    public func set(_ runID: String, _ observation: RunObservation) {
        book.withLock { $0.observations[runID] = observation }
    }

    /// The run `runID` ended, trained with `metrics` (or failed with `reason` when `metrics` is nil).
    public func end(_ runID: String, metrics: [String: Double]? = nil, reason: String = "exit 1", startedAt: Instant, finishedAt: Instant) {
        set(
            runID,
            .ended(
                TrainerOutcome(
                    status: metrics == nil ? .failed : .trained, reason: metrics == nil ? reason : nil,
                    exitCode: metrics == nil ? 1 : 0, metrics: metrics, startedAt: startedAt, finishedAt: finishedAt)))
    }

    /// Starting `runID` fails with `reason`.
    public func refuse(_ runID: String, _ reason: String) {
        book.withLock { $0.refusals[runID] = .failed(reason) }
    }

    /// Starting `runID` finds the executor unavailable (`reason`), until `accept` is called.
    public func unavailable(_ runID: String, _ reason: String) {
        book.withLock { $0.refusals[runID] = .unavailable(reason) }
    }

    /// Starting `runID` works again.
    public func accept(_ runID: String) {
        book.withLock { $0.refusals[runID] = nil }
    }

    public func start(_ request: RunRequest, now: Instant) -> RunStart {
        let id = request.trainer.runID
        if let refusal = book.withLock({ $0.refusals[id] }) { return refusal }
        let folder = request.trainer.attemptFolder.hasPrefix("/") ? request.trainer.attemptFolder : root + "/" + request.trainer.attemptFolder
        guard SourceFile.makeFolders(folder) else { return .failed("cannot create \(folder)") }
        try? AtomicFile.writeJSON(request, to: folder + "/request.json", durable: false)
        book.withLock {
            $0.started.append(request)
            $0.observations[id] = .running
        }
        return .started(
            ActiveRun(
                id: id, slot: request.slot, executor: name, pid: nil, host: "test", startedAt: now,
                attempt: request.trainer.attempt, folder: request.trainer.attemptFolder))
    }

    /// The runs cancelled, in order.
    public var cancelled: [String] { book.withLock { $0.cancelled } }

    public func cancel(_ run: ActiveRun) -> Result<String, CancelRefusal> {
        book.withLock {
            $0.cancelled.append(run.id)
            $0.observations[run.id] = .interrupted("interrupted: cancelled")
        }
        return .success("stopped by the fake executor")
    }

    public func observe(_ run: ActiveRun, now: Instant) -> RunObservation {
        book.withLock { $0.observations[run.id] } ?? .interrupted("interrupted: the fake executor never started it")
    }
}

/// A clock that moves only when told.
public final class FixedClock: InstantClock, Sendable {
    private let instant: Mutex<Instant>

    /// A clock reading `now`.
    public init(_ now: Instant) {
        instant = Mutex(now)
    }

    public func now() -> Instant { instant.withLock { $0 } }

    /// Moves the clock on by `seconds`.
    public func advance(_ seconds: Int64) {
        instant.withLock { $0 = $0.adding(seconds) }
    }

    /// Sets the clock to `now`.
    public func set(_ now: Instant) {
        instant.withLock { $0 = now }
    }
}
