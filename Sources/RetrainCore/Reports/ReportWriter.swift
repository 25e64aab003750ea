import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

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

    public init(folder: String, modelsLink: String = "../../models") {
        self.folder = folder
        self.modelsLink = modelsLink
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

        public init(overviews: [ScheduleOverview], history: HistoryLedger, legacy: LegacyHistory?, defaultNotify: NotifySpec?, now: Instant) {
            self.overviews = overviews
            self.history = history
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
        guard !run.contains("/"), run != "..", !schedule.contains("/") else { return nil }
        return SourceFile.readJSON(RunResult.self, "\(folder)/\(schedule)/\(run)/result.json")
    }

    /// Writes every schedule's pages that `scope` asks for and the overview files. Returns the
    /// files whose content changed, relative to the folder, in a stable order. A file that cannot
    /// be written does not stop the others; the first failure is thrown at the end.
    @discardableResult
    public func write(_ sources: Sources, scope: Scope = .changed, allMetrics: Bool = false) throws(AtomicFile.Failure) -> [String] {
        let (cached, oldBytes) = readOverview()
        let byID = Dictionary(cached.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let refreshed = Parallel.map(sources.overviews) { overview in
            refresh(overview, cached: byID[overview.id], force: scope == .everything, sources: sources, allMetrics: allMetrics)
        }
        return try finish(refreshed, oldOverview: oldBytes, now: sources.now)
    }

    /// After a manual run: `overview`'s row and pages rebuilt, every other row as the last write
    /// left it (their schedule files are not read). Nil, with nothing written, when there is no
    /// readable overview.json to take them from: write everything instead.
    public func writeOne(_ overview: ScheduleOverview, sources: Sources) throws(AtomicFile.Failure) -> [String]? {
        let (cached, oldBytes) = readOverview()
        guard oldBytes != nil else { return nil }
        var rows = cached.map { Refreshed(row: $0, written: [], failure: nil) }
        let one = refresh(overview, cached: nil, force: true, sources: sources, allMetrics: false)
        if let at = rows.firstIndex(where: { $0.row.id == overview.id }) {
            rows[at] = one
        } else {
            rows.insert(one, at: rows.firstIndex { codePointLess(overview.id, $0.row.id) } ?? rows.endIndex)
        }
        return try finish(rows, oldOverview: oldBytes, now: sources.now)
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
            let row = OverviewRow(overview, history: cached.history, nextRuns: ScheduleReport.nextRuns(overview),
                                  stale: ScheduleReport.stale(overview, defaultNotify: sources.defaultNotify, now: sources.now))
            let pagesThere = SourceFile.exists("\(folder)/\(id)/index.html") && (row.history.trained == 0 || SourceFile.exists("\(folder)/\(id)/comparison.md"))
            if row.pages == cached.pages && pagesThere { return Refreshed(row: row, written: [], failure: nil) }
        }
        let records = sources.history.read(id, legacy: sources.legacy).records
        let report = ScheduleReport(overview, history: records, defaultNotify: sources.defaultNotify, now: sources.now, readResult: readResult)
        var files = [("\(id)/index.html", SchedulePage.html(report, models: modelsLink))]
        if let comparison = report.comparison {
            files.append(("\(id)/comparison.md", comparison.markdown(all: allMetrics)))
            files.append(("\(id)/comparison.json", comparison.json(all: allMetrics).pretty))
        }
        let (written, failure) = put(files)
        return Refreshed(row: OverviewRow(report, source: source), written: written, failure: failure)
    }

    /// The overview files from the rows; every file written, first failure thrown.
    func finish(_ refreshed: [Refreshed], oldOverview: [UInt8]?, now: Instant) throws(AtomicFile.Failure) -> [String] {
        let set = ReportSet(now: now, rows: refreshed.map(\.row))
        var written = refreshed.flatMap(\.written)
        var failure = refreshed.lazy.compactMap(\.failure).first
        let overview = Self.overviewText(set.rows)
        if oldOverview.map({ !$0.elementsEqual(overview.utf8) }) ?? true {
            let (names, problem) = put([("overview.json", overview)], compare: false)
            written += names
            failure = failure ?? problem
        }
        let (names, problem) = put([("summary.md", SummaryReport.markdown(set)), ("metrics.prom", PrometheusReport.text(set)), ("index.html", Dashboard.html(set))])
        written += names
        if let failure = failure ?? problem { throw failure }
        return written
    }

    /// `overview.json`: the rows, compact, one line.
    static func overviewText(_ rows: [OverviewRow]) -> String {
        struct File: Encodable {
            var version: Int
            var rows: [OverviewRow]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(File(version: overviewVersion, rows: rows))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The rows the last write left, and the file's bytes (nil when there is none, or it is not
    /// a readable overview of this version: everything is rebuilt).
    func readOverview() -> ([OverviewRow], [UInt8]?) {
        struct File: Decodable {
            var version: Int
            var rows: [OverviewRow]
        }
        guard case .success(let bytes) = SourceFile.read("\(folder)/overview.json", limit: Int.max),
              let file = try? JSONReader.decode(File.self, from: bytes), file.version == Self.overviewVersion else { return ([], nil) }
        return (file.rows, bytes)
    }

    /// Writes each (name, text) whose content differs from the file's; the names written and the
    /// first failure.
    func put(_ files: [(String, String)], compare: Bool = true) -> ([String], AtomicFile.Failure?) {
        var written: [String] = []
        var failure: AtomicFile.Failure?
        for (name, text) in files {
            let path = "\(folder)/\(name)"
            if compare, case .success(let old) = SourceFile.read(path, limit: Int.max), old.elementsEqual(text.utf8) { continue }
            do throws(AtomicFile.Failure) {
                guard SourceFile.makeFolders(AtomicFile.folderOf(path)) else { throw AtomicFile.Failure(path: path, reason: "cannot create its folder") }
                try AtomicFile.write(Array(text.utf8), to: path, durable: false)
                written.append(name)
            } catch {
                if failure == nil { failure = error }
            }
        }
        return (written, failure)
    }

    /// A file's size in bytes; 0 when it does not exist.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
