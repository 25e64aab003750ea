import Dispatch
import Glibc
import Synchronization

/// Work spread over every core, for the per-file and per-schedule stages.
package enum Parallel {
    /// `items.map(transform)` on every core, in chunks of 32 taken from a shared counter; results keep
    /// the items' order. Fewer than 64 items per core stay on fewer threads.
    package static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (borrowing T) -> R) -> [R] {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let workers = min(cores, max(1, items.count / 64))
        if workers == 1 { return items.map(transform) }
        let next = Atomic<Int>(0)
        let chunk = 32
        // Items are read in place through the buffer (Array's subscript would copy each one, and a
        // schedule's copy retains every string in it). Results are written straight into the array
        // returned: each index by exactly one worker, all of them before the closure returns, so no
        // slot array is initialised, filled, and then copied out.
        return items.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let items = buffer  // read only, and only while the workers run
            return [R](unsafeUninitializedCapacity: items.count) { out, initialized in
                nonisolated(unsafe) let out = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let start = next.add(chunk, ordering: .relaxed).oldValue
                        if start >= items.count { break }
                        for i in start..<min(start + chunk, items.count) { (out + i).initialize(to: transform(items[i])) }
                    }
                }
                initialized = items.count
            }
        }
    }
}
