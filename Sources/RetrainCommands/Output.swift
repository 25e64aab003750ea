import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// Writing to stdout and stderr, and whether colour is wanted there.
enum Output {
    static func stdout(_ text: String) {
        var text = text
        text.withUTF8 { writeAll(1, $0) }
    }

    /// Bytes already made (a large table need not become a String first).
    static func stdout(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeAll(1, $0) }
    }

    static func stderr(_ text: String) {
        var text = text
        text.withUTF8 { writeAll(2, $0) }
    }

    /// One write(2) loop per call: nothing buffered, so stdout and stderr interleave as written.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
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
        String(decoding: tableBytes(rows), as: UTF8.self)
    }

    /// `table` as UTF-8 bytes. Cells are visited by index (iterating the rows would retain and
    /// release each row) and counted twice rather than stored: a plan of 10,000 schedules is 50,000
    /// cells, written straight into one buffer.
    static func tableBytes(_ rows: [[String]]) -> [UInt8] {
        guard let width = rows.map(\.count).max() else { return [] }
        var widths = Array(repeating: 0, count: width)
        var bytes = 0
        for r in rows.indices {
            for i in rows[r].indices {
                widths[i] = max(widths[i], scalarCount(rows[r][i]))
                bytes += rows[r][i].utf8.count + 2
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes + rows.count * (widths.reduce(0, +) + 1))
        for r in rows.indices {
            let start = out.count
            let last = rows[r].count - 1
            for i in rows[r].indices {
                var cell = rows[r][i]
                cell.withUTF8 { out.append(contentsOf: $0) }
                if i < last {
                    for _ in 0..<(widths[i] - scalarCount(cell) + 2) { out.append(UInt8(ascii: " ")) }
                }
            }
            while out.count > start, out.last == UInt8(ascii: " ") { out.removeLast() }
            out.append(UInt8(ascii: "\n"))
        }
        return out
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
