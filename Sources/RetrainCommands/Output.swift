import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout and stderr, and whether colour is wanted there.
enum Output {
    static func stdout(_ text: String) {
        writeAll(1, text)
    }

    static func stderr(_ text: String) {
        writeAll(2, text)
    }

    /// One write(2) loop per call: nothing buffered, so stdout and stderr interleave as written.
    private static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Colour only on a terminal, never with NO_COLOR set, never for TERM=dumb.
    static func colour(forStderr: Bool) -> Bool {
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isatty(forStderr ? 2 : 1) == 1
    }

    /// Columns padded to their widest cell; the last column is not padded. Widths count Unicode
    /// scalars (cheap, and exact for the ids, times and words in our tables).
    static func table(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) }
        }
        var out = ""
        out.reserveCapacity(rows.count * (widths.reduce(0, +) + 2 * width))
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - cell.unicodeScalars.count + 2) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line
            out += "\n"
        }
        return out
    }
}

/// `--format` values.
enum ListFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json
}
