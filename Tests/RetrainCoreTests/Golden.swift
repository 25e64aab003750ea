import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Compares `actual` with the golden file at `path` (relative to the repository root).
/// `RETRAIN_RECORD=1 swift test` rewrites the golden files instead.
func expectGolden(_ actual: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = repositoryRoot.appendingPathComponent(path)
    if ProcessInfo.processInfo.environment["RETRAIN_RECORD"] == "1" {
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file \(path); record it with RETRAIN_RECORD=1 swift test", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        Issue.record("\(path) differs (re-record with RETRAIN_RECORD=1 swift test):\n\(lineDiff(expected, actual))", sourceLocation: sourceLocation)
    }
}

/// A minimal line diff: lines only in the golden file get "-", lines only in the output get "+".
func lineDiff(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(a.count, b.count) {
        let x = i < a.count ? String(a[i]) : nil
        let y = i < b.count ? String(b[i]) : nil
        if x != y {
            if let x { out.append("-\(x)") }
            if let y { out.append("+\(y)") }
        }
    }
    return out.joined(separator: "\n")
}
