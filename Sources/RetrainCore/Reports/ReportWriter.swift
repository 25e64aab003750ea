import Glibc
import Synchronization

/// Writes the report files under the reports folder, each atomically (a reader never sees half a
/// file), and only when its content changed (an unchanged report keeps its modification time).
///
/// Incremental: `overview.json` keeps each schedule's overview row with what its pages were built
/// from. A pass rebuilds a schedule's pages (`<id>/index.html`, `comparison.md` and `.json`) only
/// when that changed (a run finished, the spec or state changed, a slot passed) or a page is
/// missing, and reads a schedule's ledger only when the ledger changed. The overview files
/// (index.html, summary.md, metrics.prom, overview.json) are rewritten from the rows.
public struct ReportWriter: Sendable {
    /// The reports folder, absolute.
    public let folder: String
    /// The models folder as a link from a schedule page (`../../models`, or absolute).
    public let modelsLink: String
    /// The overview file's format; a different one is rebuilt from scratch.
    static let overviewVersion = 1
    /// The overview this writer last read or wrote, by the file's identity then.
    let memo: OverviewMemo

    /// A writer; writers given one `memo` do not read an overview one of them wrote again.
    public init(folder: String, modelsLink: String = "../../models", memo: OverviewMemo = OverviewMemo()) {
        self.folder = folder
        self.modelsLink = modelsLink
        self.memo = memo
    }

    /// The link from `<reports>/<id>/index.html` to the models folder, both as configured
    /// (relative to `root`, or absolute).
    public static func link(reports: String, models: String, root: String) -> String {
        func absolute(_ path: String) -> String { path.hasPrefix("/") ? path : root + "/" + path }
        if models.hasPrefix("/") || reports.hasPrefix("/") { return absolute(models) }
        let parts = reports.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") { return absolute(models) }
        let plain = models.hasPrefix("./") ? String(models.dropFirst(2)) : models
        return String(repeating: "../", count: parts.count + 1) + plain
    }

    /// What the report files are built from.
    public struct Sources: Sendable {
        public var overviews: [ScheduleOverview]
        public var history: HistoryLedger
        public var legacy: LegacyHistory?
        public var defaultNotify: NotifySpec?
        public var now: Instant
        /// The champion changes made by hand, read for the pages rebuilt (they always change the
        /// champion, which the pages' digest holds).
        public var lineage: LineageLedger?
        /// The folder of retention logs (`keep_runs`), read for the pages rebuilt (a removal comes
        /// with a new run, which rebuilds them).
        public var retention: String?

        public init(
            overviews: [ScheduleOverview], history: HistoryLedger, legacy: LegacyHistory?, defaultNotify: NotifySpec?, now: Instant,
            lineage: LineageLedger? = nil, retention: String? = nil
        ) {
            self.overviews = overviews
            self.history = history
            self.lineage = lineage
            self.retention = retention
            self.legacy = legacy
            self.defaultNotify = defaultNotify
            self.now = now
        }
    }

    /// Which schedules' pages to rebuild.
    public enum Scope: Sendable {
        /// Those whose pages' sources changed, or whose pages are missing.
        case changed
        /// Every schedule's (`report --all`).
        case everything
    }

    /// A run's result.json, when it exists and reads.
    public func readResult(schedule: String, run: String) -> RunResult? {
        RunResult.read(reports: folder, schedule: schedule, run: run)
    }

    /// Writes every schedule's pages that `scope` asks for and the overview files. Returns the
    /// files whose content changed, relative to the folder, in a stable order. A file that cannot
    /// be written does not stop the others; the first failure is thrown at the end.
    @discardableResult
    public func write(_ sources: Sources, scope: Scope = .changed, allMetrics: Bool = false) throws(AtomicFile.Failure) -> [String] {
        let cached = readOverview()
        var byID: [String: OverviewRow] = [:]
        for row in cached?.rows ?? [] { byID[row.id] = row }
        let refreshed = Parallel.map(sources.overviews) { [byID] overview in
            refresh(overview, cached: byID[overview.id], force: scope == .everything, sources: sources, allMetrics: allMetrics)
        }
        return try finish(refreshed, cached: cached, now: sources.now)
    }

    /// After a manual run: `overview`'s row and pages rebuilt, every other row as the last write
    /// left it (their schedule files are not read). Nil, with nothing written, when there is no
    /// readable overview.json to take them from: write everything instead.
    public func writeOne(_ overview: ScheduleOverview, sources: Sources) throws(AtomicFile.Failure) -> [String]? {
        // The other rows are copied as the text the last write left them in when its files agree
        // (`OverviewSplice`), else decoded from overview.json.
        let splice = OverviewSplice(folder: folder)
        guard splice != nil || readOverview() != nil else { return nil }
        let one = refresh(overview, cached: nil, force: true, sources: sources, allMetrics: false)
        if let files = splice?.files(with: one.row) {
            let (names, problem) = put(files + [("style.css", Array(DashboardAssets.css.text.utf8))], known: splice!.read)
            if let failure = one.failure ?? problem { throw failure }
            return one.written + names
        }
        guard let cached = readOverview() else { return nil }
        var rows = cached.rows.map { Refreshed(row: $0, written: [], failure: nil) }
        if let at = rows.firstIndex(where: { $0.row.id == overview.id }) {
            rows[at] = one
        } else {
            rows.insert(one, at: rows.firstIndex { codePointLess(overview.id, $0.row.id) } ?? rows.endIndex)
        }
        return try finish(rows, cached: cached, now: sources.now)
    }

    struct Refreshed: Sendable {
        var row: OverviewRow
        var written: [String]
        var failure: AtomicFile.Failure?
    }

    /// One schedule's row, its pages rebuilt when their sources changed (or `force`).
    func refresh(_ overview: ScheduleOverview, cached: OverviewRow?, force: Bool, sources: Sources, allMetrics: Bool) -> Refreshed {
        let id = overview.id
        let ledger = sources.history.path(of: id)
        let source = OverviewRow.source(ledgerBytes: Self.size(ledger), legacyRuns: sources.legacy?.runs[id]?.count ?? 0, spec: overview.spec)
        if !force, let cached, cached.history.source == source {
            let row = OverviewRow(
                overview, history: cached.history, nextRuns: ScheduleReport.nextRuns(overview),
                stale: ScheduleReport.stale(overview, defaultNotify: sources.defaultNotify, now: sources.now))
            let pagesThere =
                SourceFile.exists("\(folder)/\(id)/index.html") && (row.history.trained == 0 || SourceFile.exists("\(folder)/\(id)/comparison.md"))
            if row.pages == cached.pages && pagesThere { return Refreshed(row: row, written: [], failure: nil) }
        }
        let records = sources.history.read(id, legacy: sources.legacy).records
        let report = ScheduleReport(
            overview, history: records, defaultNotify: sources.defaultNotify, now: sources.now, readResult: readResult,
            lineage: sources.lineage?.read(id) ?? [],
            removed: Set(sources.retention.map { JSONLines.read(RetentionRecord.self, from: "\($0)/\(id).jsonl").flatMap(\.removed) } ?? []))
        var files = [("\(id)/index.html", SchedulePage.bytes(report, models: modelsLink).bytes)]
        if let comparison = report.comparison {
            files.append(("\(id)/comparison.md", Array(comparison.markdown(all: allMetrics).utf8)))
            files.append(("\(id)/comparison.json", Array(comparison.json(all: allMetrics).pretty.utf8)))
        }
        let (written, failure) = put(files)
        return Refreshed(row: OverviewRow(report, source: source), written: written, failure: failure)
    }

    /// The overview files from the rows; every file written, first failure thrown.
    func finish(_ refreshed: [Refreshed], cached: OverviewFile?, now: Instant) throws(AtomicFile.Failure) -> [String] {
        let set = ReportSet(now: now, rows: refreshed.map(\.row))
        var written = refreshed.flatMap(\.written)
        var failure = refreshed.lazy.compactMap(\.failure).first
        let overview = OverviewFile(rows: set.rows, reusing: cached)
        let text = overview.text
        if cached.map({ $0.lines != overview.lines }) ?? true {
            let (names, problem) = put([("overview.json", Array(text.utf8))], compare: false)
            written += names
            failure = failure ?? problem
        }
        if let identity = FileIdentity("\(folder)/overview.json") { memo.remember(overview, as: identity) }
        // The schedules' families only: each reconcile pass writes its own figures to reconcile.prom.
        let prometheus = PrometheusReport.bytes(set).bytes
        let (names, problem) = put(
            [
                ("summary.md", Array(SummaryReport.markdown(set).utf8)), ("metrics.prom", prometheus),
                ("index.html", Array(Dashboard.html(set).utf8)), ("style.css", Array(DashboardAssets.css.text.utf8)),
            ])
        written += names
        if let failure = failure ?? problem { throw failure }
        return written
    }

    /// The overview the last write left (nil when there is none, or it is not a readable overview
    /// of this version: everything is rebuilt).
    func readOverview() -> OverviewFile? {
        let path = "\(folder)/overview.json"
        guard let before = FileIdentity(path) else { return nil }
        if let known = memo.overview(for: before) { return known }
        guard case .success(let bytes) = SourceFile.read(path, limit: Int.max), let file = OverviewFile(bytes) else { return nil }
        if FileIdentity(path) == before { memo.remember(file, as: before) }
        return file
    }

    /// Writes each (name, UTF-8 text) whose content differs from the file's; the names written and
    /// the first failure.
    /// `known` holds files as this process just read them, compared without reading them again.
    func put(_ files: [(String, [UInt8])], compare: Bool = true, known: [String: [UInt8]] = [:]) -> ([String], AtomicFile.Failure?) {
        var written: [String] = []
        var failure: AtomicFile.Failure?
        var staged = false
        for (name, text) in files {
            let path = "\(folder)/\(name)"
            if compare, let old = known[name] {
                if Self.same(old, text) { continue }
            } else if compare, Self.size(path) == text.count, case .success(let old) = SourceFile.read(path, limit: Int.max), Self.same(old, text) {
                continue
            }
            do throws(AtomicFile.Failure) {
                guard SourceFile.makeFolders(AtomicFile.folderOf(path)) else {
                    throw AtomicFile.Failure(path: path, reason: "cannot create its folder: \(String(cString: strerror(errno)))")
                }
                guard staged || SourceFile.makeFolders(staging) else {
                    throw AtomicFile.Failure(path: path, reason: "cannot create \(staging) for its temporary: \(String(cString: strerror(errno)))")
                }
                staged = true
                // Temporaries in one folder of their own, where every pass sweeps a killed writer's.
                try AtomicFile.write(text, to: path, durable: false, temporaryIn: staging, namedBelow: folder)
                written.append(name)
            } catch {
                if failure == nil { failure = error }
            }
        }
        return (written, failure)
    }

    /// Where the reports' temporaries are made: `.tmp` in the reports folder. A pass sweeps it
    /// (`Workspace.writePassMetrics`); swept at the top, it was a look at 10,000 schedule folders.
    var staging: String { Self.staging(folder) }

    /// `staging` of the reports folder `folder`.
    public static func staging(_ folder: String) -> String { folder + "/.tmp" }

    /// Whether two texts are the same bytes (a memcmp: the overview files are megabytes).
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in a.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
    }

    /// A file's size in bytes; 0 when it does not exist.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}

/// `reports/overview.json`: `{"rows":[`, one row per line, `],"version":1}`. Read a line at a time
/// (on every core); written with the lines of unchanged rows reused as they were read.
struct OverviewFile: Sendable {
    /// The rows, in id order.
    var rows: [OverviewRow]
    /// Each row's JSON text.
    var lines: [String]

    static let head = "{\"rows\":["
    static var tail: String { "\n],\"version\":\(ReportWriter.overviewVersion)}\n" }

    /// The file's text.
    var text: String {
        var out = Self.head
        out.reserveCapacity(lines.reduce(64) { $0 + $1.utf8.count + 2 })
        for (i, line) in lines.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += line
        }
        return out + Self.tail
    }

    /// `rows`, each written again only when it differs from the row `cached` had for its id.
    init(rows: [OverviewRow], reusing cached: OverviewFile?) {
        self.rows = rows
        var known: [String: Int] = [:]
        if let cached { for (i, row) in cached.rows.enumerated() { known[row.id] = i } }
        lines = rows.map { row in
            if let cached, let i = known[row.id], cached.rows[i] == row { return cached.lines[i] }
            var line = ""
            row.writeJSON(to: &line)
            return line
        }
    }

    /// Parses the file; nil when it is not an overview of this version.
    init?(_ bytes: [UInt8]) {
        guard let ranges = Self.lineRanges(bytes) else { return nil }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            nonisolated(unsafe) let all = buffer  // read only, while the workers run
            return Parallel.map(ranges) { range -> (row: OverviewRow, line: String)? in
                let slice = UnsafeBufferPointer(rebasing: all[range])
                guard let row = try? JSONReader.decode(OverviewRow.self, from: slice) else { return nil }
                return (row, String(decoding: slice, as: UTF8.self))
            }
        }
        guard parsed.allSatisfy({ $0 != nil }) else { return nil }
        rows = parsed.map { $0!.row }
        lines = parsed.map { $0!.line }
    }

    /// The lines between the head and the tail, a row each, without the comma after all but the
    /// last; nil when `bytes` is not an overview of this version.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>]? {
        let head = Array(Self.head.utf8)
        let tail = Array(Self.tail.utf8)
        guard bytes.count >= head.count + tail.count, bytes.starts(with: head), bytes.suffix(tail.count).elementsEqual(tail) else { return nil }
        var ranges: [Range<Int>] = []
        var start = head.count + 1
        let end = bytes.count - tail.count
        bytes.withUnsafeBufferPointer { b in
            while start < end {
                let stop = ByteSearch.index(of: 0x0A, in: b, from: start, to: end)
                ranges.append(start..<(stop > start && b[stop - 1] == 0x2C ? stop - 1 : stop))
                start = stop + 1
            }
        }
        return ranges
    }
}

/// The overview a writer last read or wrote, with the file's identity then: `run --wait` writes the
/// reports when the run starts and again when it ends, and need not read 10,000 rows twice.
public final class OverviewMemo: Sendable {
    private let last = Mutex<(FileIdentity, OverviewFile)?>(nil)

    public init() {}

    func overview(for identity: FileIdentity) -> OverviewFile? {
        last.withLock { known in known.flatMap { $0.0 == identity ? $0.1 : nil } }
    }

    func remember(_ file: OverviewFile, as identity: FileIdentity) {
        last.withLock { $0 = (identity, file) }
    }
}
