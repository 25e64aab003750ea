/// Text tables as the commands print them.
public enum TextTable {
    /// Columns padded to their widest cell; the last column is not padded. Widths count Unicode
    /// scalars (cheap, and exact for the ids, times and words in our tables).
    public static func render(_ rows: [[String]]) -> String {
        String(decoding: bytes(rows), as: UTF8.self)
    }

    /// `render` as UTF-8 bytes. Cells are visited by index (iterating the rows would retain and
    /// release each row) and counted twice rather than stored: a plan of 10,000 schedules is 50,000
    /// cells, written straight into one buffer.
    public static func bytes(_ rows: [[String]]) -> [UInt8] {
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
    public static func scalarCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    }
}
