import ArgumentParser
import RetrainCore
#if canImport(Glibc)
import Glibc
#endif

/// The one place the wall clock is read: `--now` (hidden) or `RETRAIN_NOW`, else the system clock.
struct ClockOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The current time, for reproducible output (ISO 8601 with Z or an offset). Also RETRAIN_NOW.", visibility: .hidden))
    var now: String?

    /// The instant commands treat as now.
    func instant() throws -> Instant {
        let text = now ?? getenv("RETRAIN_NOW").map { String(cString: $0) }
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
}
