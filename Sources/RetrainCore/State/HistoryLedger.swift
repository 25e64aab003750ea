import FoundationEssentials
import Glibc

/// Each schedule's run history: `history/<id>.jsonl` beside the state file, one JSON line per
/// finished run, oldest first. Lines are only ever appended (retention, when it comes, is an explicit
/// policy), so recording a run costs the same whatever the history, and reading one schedule's
/// history never touches another's.
///
/// Lines are appended and made durable before the state that records the same runs is saved (the
/// state is the commit). A pass that dies in between is done again by the next one, which finds the
/// line already there and does not append it twice; a line torn by a crash mid-write (no newline
/// after it) was never committed and is passed over, then cut off by the next append.
public struct HistoryLedger: Sendable {
    /// The folder of ledgers.
    public let folder: String

    /// The ledgers in `folder`.
    public init(folder: String) {
        self.folder = folder
    }

    /// The ledger of `schedule`.
    public func path(of schedule: String) -> String { "\(folder)/\(schedule).jsonl" }

    /// What a ledger holds.
    public struct Contents: Sendable, Equatable {
        /// The runs, oldest first, each id once (the first line with it wins).
        public var records: [RunRecord] = []
        /// Lines that are not run records: 1-based line number and what is wrong (left out).
        public var damaged: [(line: Int, problem: String)] = []

        /// An empty history.
        public init() {}

        /// One warning per damaged line, `path:line:1: warning: …`.
        public func warnings(path: String) -> String {
            damaged.map { "\(path):\($0.line):1: warning: this line is not a run record (\($0.problem)); it is left out. Fix or delete the line\n" }
                .joined()
        }

        public static func == (a: Contents, b: Contents) -> Bool {
            a.records == b.records && a.damaged.map(\.line) == b.damaged.map(\.line) && a.damaged.map(\.problem) == b.damaged.map(\.problem)
        }
    }

    /// Every run `schedule`'s ledger holds, plus (first) those of a version-1 state not migrated yet.
    public func read(_ schedule: String, legacy: LegacyHistory? = nil) -> Contents {
        var contents = Contents()
        var seen = Set<String>()
        for line in legacy?.runs[schedule] ?? [] {
            guard let record = try? JSONReader.decode(RunRecord.self, from: line), seen.insert(record.id).inserted else { continue }
            contents.records.append(record)
        }
        guard FileSystem.isPlainName(schedule), case .success(let bytes) = SourceFile.read(path(of: schedule), limit: 1 << 30) else {
            return contents
        }
        JSONReader.decodeLines(RunRecord.self, from: bytes) { number, read in
            switch read {
            case .success(let record): if seen.insert(record.id).inserted { contents.records.append(record) }
            case .failure(let error): contents.damaged.append((number, Self.describe(error)))
            }
        }
        return contents
    }

    /// The ids `schedule`'s history holds (for run ids that must not be used again).
    public func ids(_ schedule: String, legacy: LegacyHistory? = nil) -> Set<String> {
        Set(read(schedule, legacy: legacy).records.map(\.id))
    }

    /// Appends `records` to their schedules' ledgers and makes them durable, so a state saved after
    /// this may point at them. A record whose id is already near the end of its ledger (appended by a
    /// pass that died before saving the state) is not appended again.
    public func append(_ batch: [(schedule: String, records: [RunRecord])]) throws(AtomicFile.Failure) {
        guard !batch.isEmpty else { return }
        guard SourceFile.makeFolders(folder) else { throw AtomicFile.Failure(path: folder, reason: String(cString: strerror(errno))) }
        var open: [Int32] = []
        defer { for fd in open { close(fd) } }
        var created = false
        for (schedule, records) in batch where !records.isEmpty {
            let path = path(of: schedule)
            guard FileSystem.isPlainName(schedule) else { throw AtomicFile.Failure(path: path, reason: "'\(schedule)' is not a schedule id") }
            let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
            open.append(fd)
            let (size, recent) = try Self.tail(fd, path: path)
            created = created || size == 0
            var text: [UInt8] = []
            for record in records where !recent.contains(record.id) {
                text += Self.line(record)
            }
            guard !text.isEmpty else { continue }
            try Self.write(text, to: fd, at: size, path: path)
        }
        // One flush for the whole batch: a pass that finishes a thousand runs waits once, not a
        // thousand times.
        for fd in open where fsync(fd) != 0 {
            throw AtomicFile.Failure(path: folder, reason: String(cString: strerror(errno)))
        }
        if created { FileSystem.syncFolder(folder) }
    }

    /// Replaces `schedule`'s ledger with `lines` followed by whatever it held that `lines` does not
    /// (by run id): the migration of a version-1 state, which may be run again after a crash. Not
    /// durable by itself: the caller syncs the file system once for every schedule.
    func merge(_ schedule: String, lines: [[UInt8]]) throws(AtomicFile.Failure) {
        let path = path(of: schedule)
        var text: [UInt8] = []
        text.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for line in lines {
            text += line
            text.append(0x0A)
        }
        if case .success(let existing) = SourceFile.read(path, limit: 1 << 30), !existing.isEmpty {
            var ids = Set<String>()
            for line in lines { if let id = Self.id(of: line) { ids.insert(id) } }
            Self.lines(existing) { _, line in
                guard let id = Self.id(of: line), !ids.contains(id) else { return }
                text += line
                text.append(0x0A)
            }
        }
        try AtomicFile.write(text, to: path, durable: false)
    }

    /// Removes `schedule`'s ledger (`--prune`).
    public func remove(_ schedule: String) {
        guard FileSystem.isPlainName(schedule) else { return }
        unlink(path(of: schedule))
    }

    // MARK: Lines

    /// The encoder of ledger lines: compact, keys sorted.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `record` as one line, newline included.
    static func line(_ record: RunRecord) -> [UInt8] {
        // A record is numbers and strings: it always encodes.
        var bytes = (try? Array(encoder.encode(record))) ?? []
        bytes.append(0x0A)
        return bytes
    }

    /// Calls `body` with each complete line of `bytes` (1-based number, the line without its
    /// newline); a last line without a newline is torn and left out; blank lines are skipped.
    static func lines(_ bytes: [UInt8], _ body: (Int, [UInt8]) -> Void) {
        var start = 0
        var number = 0
        while let end = bytes[start...].firstIndex(of: 0x0A) {
            number += 1
            if end > start { body(number, Array(bytes[start..<end])) }
            start = end + 1
        }
    }

    /// The run id of a line, without decoding the rest.
    static func id(of line: [UInt8]) -> String? {
        struct OnlyID: Decodable { var id: String }
        return (try? JSONReader.decode(OnlyID.self, from: line))?.id
    }

    /// The file's size once a torn last line is cut off, and the ids of the lines near its end.
    static func tail(_ fd: Int32, path: String) throws(AtomicFile.Failure) -> (Int, Set<String>) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
        var size = Int(info.st_size)
        guard size > 0 else { return (0, []) }
        let window = min(size, 256 << 10)
        var bytes = [UInt8](repeating: 0, count: window)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(size - window)) }
        guard n == window else { throw AtomicFile.Failure(path: path, reason: "cannot read its end: \(String(cString: strerror(errno)))") }
        if bytes.last != 0x0A {
            // A torn line: cut back to the last complete one.
            let keep = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            guard keep > 0 || window == size else { throw AtomicFile.Failure(path: path, reason: "its last 256 KiB hold no complete line") }
            size -= window - keep
            guard ftruncate(fd, off_t(size)) == 0 else { throw AtomicFile.Failure(path: path, reason: String(cString: strerror(errno))) }
            bytes.removeLast(window - keep)
        }
        // The first line of the window may be cut at its start: the id of a partial line is not read.
        let from = window == Int(info.st_size) ? 0 : (bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count)
        var ids = Set<String>()
        lines(Array(bytes[from...])) { _, line in if let id = id(of: line) { ids.insert(id) } }
        return (size, ids)
    }

    static func write(_ text: [UInt8], to fd: Int32, at offset: Int, path: String) throws(AtomicFile.Failure) {
        var written = 0
        while written < text.count {
            let n = text.withUnsafeBytes { pwrite(fd, $0.baseAddress! + written, text.count - written, off_t(offset + written)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                ftruncate(fd, off_t(offset))  // no torn line left behind when the disk is full
                throw AtomicFile.Failure(path: path, reason: reason)
            }
            written += n
        }
    }

    static func describe(_ error: any Error) -> String {
        if let syntax = error as? JSONReader.SyntaxError { return "not JSON at column \(syntax.column): \(syntax.problem)" }
        if case .keyNotFound(let key, _)? = error as? DecodingError { return "no '\(key.stringValue)'" }
        if case .dataCorrupted(let c)? = error as? DecodingError { return c.debugDescription }
        if case .typeMismatch(_, let c)? = error as? DecodingError {
            return "'\(c.codingPath.map(\.stringValue).joined(separator: "."))': \(c.debugDescription)"
        }
        return "\(error)"
    }
}
