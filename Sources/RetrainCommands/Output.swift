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
        // Widths in characters (scalars), counted once per cell; bytes go straight into one buffer
        // (a plan of 10,000 schedules is 50,000 cells).
        let counts = rows.map { $0.map(scalarCount) }
        var widths = Array(repeating: 0, count: width)
        var extra = 0  // bytes beyond one per character, in multi-byte characters
        for (row, count) in zip(rows, counts) {
            for i in row.indices {
                widths[i] = max(widths[i], count[i])
                extra += row[i].utf8.count - count[i]
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * (widths.reduce(0, +) + 2 * width + 1) + extra)
        for (row, count) in zip(rows, counts) {
            let start = out.count
            for i in row.indices {
                var cell = row[i]
                cell.withUTF8 { out.append(contentsOf: $0) }
                if i < row.count - 1 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: widths[i] - count[i] + 2)) }
            }
            while out.count > start, out.last == UInt8(ascii: " ") { out.removeLast() }
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Characters (Unicode scalars) in `text`: its UTF-8 bytes that do not continue a character.
    static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    }
}

/// `--format` values.
enum ListFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json
}
