import Foundation
import Glibc

/// Carries a trainer's output into its `log.txt` with a cap: the first `headBytes` as they come, then
/// only the last `tailBytes` kept in memory and written when the run ends, after a line that says how
/// much was left out. A trainer that prints 100 MB leaves a log of a few MB that still shows how it
/// began and how it ended.
///
/// The trainer writes into a pipe (`writeFD`, its standard output and error) that a thread of the
/// supervisor reads. `finish` stops that thread once the trainer's group is gone: what is left in
/// the pipe is read without waiting, so a process that escaped the group and still holds the pipe
/// (a daemon that called setsid, ended later by the supervisor) cannot hold the run open.
final class LogPump: @unchecked Sendable {
    /// The first bytes written as they come.
    static let headBytes = 4 << 20
    /// The last bytes kept for the end.
    static let tailBytes = 1 << 20

    /// The pipe's end the trainer writes to; closed by `closeWriteEnd` once the trainer started.
    private(set) var writeFD: Int32 = -1
    private var readFD: Int32 = -1
    private let log: Int32
    private let head: Int
    private let tail: Int
    private let stop = NSCondition()
    private var stopping = false
    private var done = false
    /// The bytes after the head, the last `tail` of them (a ring once full).
    private var ring: [UInt8] = []
    private var ringStart = 0
    private var written = 0
    private var dropped = 0

    /// A pump into `log` (an open file, appended to); nil when no pipe can be made.
    init?(log: Int32, head: Int = LogPump.headBytes, tail: Int = LogPump.tailBytes) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        // Neither end leaks into other children (the trainer gets the write end as its output).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        (readFD, writeFD) = (fds[0], fds[1])
        self.log = log
        self.head = head
        self.tail = tail
        Thread.detachNewThread { [self] in pump() }
    }

    /// Closes this process's copy of the write end (after the trainer was started with it): the
    /// pipe then ends when the trainer and what it started have closed theirs.
    func closeWriteEnd() {
        if writeFD >= 0 { close(writeFD) }
        writeFD = -1
    }

    /// Stops the pump once it has read what is in the pipe, and writes the tail. Call once the
    /// trainer's process group is gone.
    func finish() {
        closeWriteEnd()
        stop.lock()
        stopping = true
        while !done { stop.wait() }
        stop.unlock()
    }

    private func pump() {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        func stopAsked() -> Bool {
            stop.lock()
            defer { stop.unlock() }
            return stopping
        }
        while !stopAsked() {
            var poller = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            if n > 0 {
                take(buffer[0..<n])
            } else if n == 0 || errno != EINTR {
                break  // the end of the pipe, or an error
            }
        }
        // Asked to stop: what is in the pipe now, without waiting for writers that remain, and no
        // more than a tail's worth (a process that escaped the group may be writing still).
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
        var drained = 0
        while drained < tail + buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(readFD, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            take(buffer[0..<n])
            drained += n
        }
        close(readFD)
        flushTail()
        stop.lock()
        done = true
        stop.broadcast()
        stop.unlock()
    }

    /// The head goes to the log; the rest into the ring of the last `tail` bytes.
    private func take(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        if written < head {
            let now = rest.prefix(head - written)
            writeAll(now)
            written += now.count
            rest = rest.dropFirst(now.count)
        }
        guard !rest.isEmpty else { return }
        if rest.count >= tail {
            dropped += ring.count + rest.count - tail
            ring = Array(rest.suffix(tail))
            ringStart = 0
            return
        }
        if ring.count < tail {
            let room = min(tail - ring.count, rest.count)
            ring.append(contentsOf: rest.prefix(room))
            rest = rest.dropFirst(room)
        }
        // Full: overwrite the oldest bytes, a stretch at a time.
        while !rest.isEmpty {
            let n = min(tail - ringStart, rest.count)
            ring.replaceSubrange(ringStart..<ringStart + n, with: rest.prefix(n))
            ringStart = (ringStart + n) % tail
            dropped += n
            rest = rest.dropFirst(n)
        }
    }

    private func flushTail() {
        if dropped > 0 {
            let note =
                "\n== retrain: \(dropped) bytes of output left out here; the log keeps the first \(head / (1 << 20)) MB and the last \(tail / (1 << 20)) MB ==\n"
            writeAll(ArraySlice(note.utf8))
        }
        writeAll(ring[ringStart...])
        writeAll(ring[..<ringStart])
    }

    private func writeAll(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(log, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
