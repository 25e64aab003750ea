import Glibc
import Synchronization

/// Set by SIGINT or SIGTERM: a watching reconciler finishes its pass and stops.
public let stopRequested = Atomic<Bool>(false)

public enum StopSignals {
    /// Catches SIGINT and SIGTERM from now on.
    public static func install() {
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in stopRequested.store(true, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// Sleeps `seconds`, waking early when a stop was asked for. Returns false if so.
    public static func sleep(_ seconds: Double) -> Bool {
        var left = seconds
        while left > 0 {
            if stopRequested.load(ordering: .relaxed) { return false }
            usleep(useconds_t(min(left, 0.1) * 1_000_000))
            left -= 0.1
        }
        return !stopRequested.load(ordering: .relaxed)
    }
}
