import Glibc

/// A clock for commands that last (reconcile --watch/--wait, run --wait, a run's supervisor): the
/// instant the command was given (or read) plus the time elapsed since, so a given `--now` moves
/// forward as real time does: `base` plus the monotonic time elapsed since the clock was made. The
/// wall clock itself is read only by the command line.
public struct RunningClock: InstantClock, Sendable {
    public let base: Instant
    let started = RunningClock.monotonicSeconds()

    public init(base: Instant) { self.base = base }

    public func now() -> Instant {
        base.adding(Int64(RunningClock.monotonicSeconds() - started))
    }

    public static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
