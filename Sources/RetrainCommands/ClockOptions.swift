import ArgumentParser
import Glibc
import RetrainCore

/// The one place the wall clock is read: `--now` (hidden) or `RETRAIN_NOW`, else the system clock.
struct ClockOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The current time, for reproducible output (ISO 8601 with Z or an offset). Also RETRAIN_NOW.", visibility: .hidden))
    var now: String?

    /// Whether time is given rather than read.
    var isFixed: Bool { now != nil || getenv("RETRAIN_NOW") != nil }

    /// The instant commands treat as now.
    func instant() throws -> Instant {
        try Self.instant(given: now)
    }

    /// `given` (a `--now`), else `RETRAIN_NOW`, else the system clock.
    static func instant(given: String?) throws -> Instant {
        let text = given ?? getenv("RETRAIN_NOW").map { String(cString: $0) }
        if let text {
            guard let instant = Instant.parse(text) else {
                throw ValidationError("'\(text)' is not a time; write it as 2026-11-25T12:00:00Z or with an offset, 2026-11-25T13:00:00+01:00")
            }
            return instant
        }
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Instant(seconds: Int64(t.tv_sec))
    }

    /// A clock for commands that last (reconcile --watch/--wait, run --wait, a run's supervisor):
    /// the start instant plus the time elapsed since, so a given `--now` moves forward as real time does.
    func running() throws -> RunningClock {
        RunningClock(base: try instant())
    }
}
