#if canImport(Glibc)
import Glibc
#endif

/// Writes the report files under the reports folder, each atomically (a reader never sees half a
/// file), and only when its content changed (an unchanged report keeps its modification time).
public struct ReportWriter: Sendable {
    /// The reports folder, absolute.
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// A run's result.json, when it exists and reads.
    public func readResult(schedule: String, run: String) -> RunResult? {
        guard !run.contains("/"), run != "..", !schedule.contains("/") else { return nil }
        return SourceFile.readJSON(RunResult.self, "\(folder)/\(schedule)/\(run)/result.json")
    }

    /// Writes comparison.md and .json for every schedule with a trained run, summary.md,
    /// metrics.prom and index.html. Returns the files whose content changed, relative to the folder.
    /// A file that cannot be written does not stop the others; the first failure is thrown at the end.
    @discardableResult
    public func write(_ set: ReportSet, all: Bool = false) throws(AtomicFile.Failure) -> [String] {
        var files: [(String, String)] = []
        for s in set.schedules {
            guard let comparison = s.comparison else { continue }
            files.append(("\(s.id)/comparison.md", comparison.markdown(all: all)))
            files.append(("\(s.id)/comparison.json", comparison.json(all: all).pretty))
        }
        files.append(("summary.md", SummaryReport.markdown(set)))
        files.append(("metrics.prom", PrometheusReport.text(set)))
        files.append(("index.html", Dashboard.html(set)))
        var changed: [String] = []
        var firstFailure: AtomicFile.Failure?
        for (name, text) in files {
            let path = "\(folder)/\(name)"
            if case .success(let old) = SourceFile.read(path, limit: Int.max), old.elementsEqual(text.utf8) { continue }
            do throws(AtomicFile.Failure) {
                guard SourceFile.makeFolders(AtomicFile.folderOf(path)) else { throw AtomicFile.Failure(path: path, reason: "cannot create its folder") }
                try AtomicFile.write(Array(text.utf8), to: path, durable: false)
                changed.append(name)
            } catch {
                if firstFailure == nil { firstFailure = error }
            }
        }
        if let firstFailure { throw firstFailure }
        return changed
    }
}
