import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work spread over every core, for the per-file and per-schedule stages.
enum Parallel {
    /// `items.map(transform)` on every core, in chunks of 32 taken from a shared counter; results keep
    /// the items' order. Fewer than 64 items per core stay on fewer threads.
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let workers = min(cores, max(1, items.count / 64))
        if workers == 1 { return items.map(transform) }
        let results = ResultSlots<R>(count: items.count)
        let next = Atomic<Int>(0)
        let chunk = 32
        // Items are read in place through the buffer (Array's subscript would copy each one, and a
        // schedule's copy retains every string in it).
        items.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let items = buffer  // read only, and only while the workers run
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let start = next.add(chunk, ordering: .relaxed).oldValue
                    if start >= items.count { break }
                    for i in start..<min(start + chunk, items.count) { results.set(i, transform(items[i])) }
                }
            }
        }
        return results.takeValues()
    }
}

/// One slot per item, each written by exactly one worker. The storage is one allocation whose address
/// never changes while workers write; `Array.withUnsafeMutableBufferPointer` cannot be used here, as
/// it takes the array's buffer for the length of each call, and two threads calling it race.
private final class ResultSlots<T>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    func set(_ index: Int, _ value: T) {
        storage[index] = value
    }

    /// Every value, once all workers have finished, moved out (copying 10,000 schedules would
    /// retain and release every string in them).
    func takeValues() -> [T] { (0..<count).map { storage[$0].take()! } }
}
