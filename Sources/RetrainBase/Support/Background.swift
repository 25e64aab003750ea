import Foundation

/// Work started on a thread of its own, whose result is collected later: for a read that should
/// overlap other work (`Dispatch`'s pool could queue it behind that very work).
public final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<T, any Error>?

    /// Starts `work` now.
    public init(_ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [self] in
            outcome = Result(catching: work)
            done.signal()
        }
    }

    /// Waits for the work and returns what it gave or threw. Call once.
    public func result() -> Result<T, any Error> {
        done.wait()
        return outcome!
    }

    /// What the work gave or threw, if it has ended; nil, without waiting, while it goes on. Any
    /// number of calls, from any thread, before `result`.
    public func ifDone() -> Result<T, any Error>? {
        guard done.wait(timeout: .now()) == .success else { return nil }
        done.signal()
        return outcome
    }
}
