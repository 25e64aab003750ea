import Foundation
import Testing

/// The repository root, found from this file's path.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Compares `actual` with the golden file at `path` (relative to the repository root).
/// `RETRAIN_RECORD=1 swift test` rewrites the golden files instead.
public func expectGolden(_ actual: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = repositoryRoot.appendingPathComponent(path)
    if ProcessInfo.processInfo.environment["RETRAIN_RECORD"] == "1" {
        try actual.write(to: url, atomically: false, encoding: .utf8)
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

/// A line diff by longest common subsequence: each line only in the golden file as `-N: text`,
/// each line only in the output as `+N: text` (N: its line in that file), in file order. One
/// inserted line is one `+` line, not every line after it.
public func lineDiff(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    // Common lines at both ends need no table; golden files differ in a few places.
    var head = 0
    while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
    var tail = 0
    while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
    let x = Array(a[head..<(a.count - tail)])
    let y = Array(b[head..<(b.count - tail)])
    // lengths[i][j]: the longest common subsequence of x[i...] and y[j...].
    var lengths = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in stride(from: x.count - 1, through: 0, by: -1) {
        for j in stride(from: y.count - 1, through: 0, by: -1) {
            lengths[i][j] = x[i] == y[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
        }
    }
    var out: [String] = []
    var (i, j) = (0, 0)
    while i < x.count || j < y.count {
        if i < x.count, j < y.count, x[i] == y[j] {
            (i, j) = (i + 1, j + 1)
        } else if i < x.count, j == y.count || lengths[i + 1][j] >= lengths[i][j + 1] {
            out.append("-\(head + i + 1): \(x[i])")
            i += 1
        } else {
            out.append("+\(head + j + 1): \(y[j])")
            j += 1
        }
    }
    return out.joined(separator: "\n")
}
