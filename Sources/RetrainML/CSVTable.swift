import Glibc

/// A CSV file read into columns: numbers as `Double` (NaN = missing), text as codes into the
/// column's distinct values (-1 = missing). Only the columns asked for are kept.
///
/// Written by hand rather than with CSV.swift or SwiftCSV: those build a `String` per cell and
/// took 0.68 s and 1.42 s just to iterate over the 100k-row attrition file (9.4 MB), which is
/// the whole time budget of a training run; this reader parses bytes in place.
public struct CSVTable: Sendable {
    /// One column's values.
    public enum Values: Sendable {
        /// Numbers; NaN where the cell was empty.
        case numeric([Double])
        /// Text as codes into `levels` (in order of first appearance); -1 where the cell was empty.
        case text(codes: [Int32], levels: [String])
    }

    /// A kept column.
    public struct Column: Sendable {
        /// The header name.
        public let name: String
        /// Its values, one per row.
        public var values: Values

        /// Whether the column holds numbers.
        public var isNumeric: Bool {
            if case .numeric = values { return true }
            return false
        }
    }

    /// Every header name, in file order (kept or not).
    public let header: [String]
    /// The kept columns, in header order.
    public var columns: [Column]
    /// How many data rows.
    public let rowCount: Int
    /// The file line each data row starts on (1-based; the header is line 1).
    public let lines: [Int32]

    /// The kept column called `name`.
    public func column(_ name: String) -> Column? {
        columns.first { $0.name == name }
    }
}

/// What went wrong reading a CSV file; the message names the file, line and column.
public struct CSVError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The whole message.
    public let description: String

    init(_ path: String, line: Int? = nil, _ problem: String) {
        description = line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)"
    }
}

/// Reads CSV files: RFC 4180 (a header row, `"` quoting with `""` inside, commas and newlines in
/// quoted fields, CRLF or LF), streamed in blocks so a large file is never held whole.
public enum CSVReader {
    /// How a kept column's type is chosen.
    public enum ColumnType: Sendable, Equatable {
        /// Numbers if every non-empty cell of the first `inferenceRows` rows is a number.
        case infer
        /// Must be numbers (an artifact's numeric feature).
        case numeric
        /// Text, even if it looks like numbers.
        case text
    }

    /// Rows looked at before a column's type is fixed.
    public static let inferenceRows = 1000

    /// Reads `path`, keeping the columns `keep` says (all when nil) with the types `types` says
    /// (inferred when absent). `display` names the file in messages; `observe` sees every byte of
    /// the file once, in order (to hash it while reading).
    public static func read(
        _ path: String, display: String? = nil, keep: Set<String>? = nil,
        types: [String: ColumnType] = [:], blockSize: Int = 1 << 20,
        observe: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws(CSVError) -> CSVTable {
        let name = display ?? path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CSVError(name, "cannot open it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var parser = Parser(name: name, keep: keep, types: types)
        var buffer = [UInt8](repeating: 0, count: max(blockSize, 16))
        var filled = 0
        var eof = false
        while !eof {
            if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }  // one record longer than a block
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CSVError(name, "cannot read it: \(String(cString: strerror(errno)))")
            }
            eof = n == 0
            buffer.withUnsafeBytes { observe(UnsafeRawBufferPointer(rebasing: $0[filled..<(filled + n)])) }
            filled += n
            let used = try buffer.withUnsafeBufferPointer { (b) throws(CSVError) -> Int in
                try parser.consume(UnsafeBufferPointer(rebasing: b[..<filled]), final: eof)
            }
            if used > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + used, filled - used)
                }
                filled -= used
            }
        }
        return try parser.finish()
    }

    /// The field-level state machine and the column builders.
    struct Parser {
        let name: String
        let keep: Set<String>?
        let types: [String: ColumnType]
        var header: [String]? = nil
        /// Per header position: the builder index, or -1 when the column is not kept.
        var slot: [Int] = []
        var builders: [ColumnBuilder] = []
        var rows = 0
        var lines: [Int32] = []
        var line = 1
        /// The unescaped bytes of the current record's quoted fields.
        var scratch: [UInt8] = []

        init(name: String, keep: Set<String>?, types: [String: ColumnType]) {
            self.name = name
            self.keep = keep
            self.types = types
        }

        /// Parses every whole record in `bytes`; returns how many bytes were used. With `final`, the
        /// rest is the last record (no newline at the end).
        mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool) throws(CSVError) -> Int {
            var start = 0
            var fields: [(Int, Int, Bool)] = []  // start, end, quoted (quoted fields are unescaped into scratch)
            fields.reserveCapacity(slot.count + 1)
            let count = bytes.count
            while start < count {
                // One record: fields until an unquoted newline.
                fields.removeAll(keepingCapacity: true)
                scratch.removeAll(keepingCapacity: true)
                var i = start
                var newlines = 0
                record: while true {
                    if i < count, bytes[i] == UInt8(ascii: "\"") {
                        // A quoted field: copy it unescaped into scratch.
                        let from = scratch.count
                        i += 1
                        var closed = false
                        while i < count {
                            let c = bytes[i]
                            if c == UInt8(ascii: "\"") {
                                if i + 1 < count, bytes[i + 1] == UInt8(ascii: "\"") {
                                    scratch.append(c)
                                    i += 2
                                    continue
                                }
                                if i + 1 == count, !final { break }  // the next block may hold the second quote
                                closed = true
                                i += 1
                                break
                            }
                            if c == UInt8(ascii: "\n") { newlines += 1 }
                            scratch.append(c)
                            i += 1
                        }
                        if !closed {
                            if final { throw CSVError(name, line: line, "a quoted field starts here and is never closed; add the closing '\"'") }
                            return start
                        }
                        fields.append((from, scratch.count, true))
                        if i < count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "\n"), bytes[i] != UInt8(ascii: "\r") {
                            throw CSVError(
                                name, line: line + newlines,
                                "text follows a closing quote in field \(fields.count); quote the whole field and write a quote inside it as \"\"")
                        }
                    } else {
                        let from = i
                        while i < count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "\n") { i += 1 }
                        var end = i
                        if i == count, !final { return start }
                        if end > from, bytes[end - 1] == UInt8(ascii: "\r"), i == count || bytes[i] == UInt8(ascii: "\n") { end -= 1 }
                        fields.append((from, end, false))
                    }
                    if i == count {
                        if !final { return start }
                        break record
                    }
                    if bytes[i] == UInt8(ascii: "\r"), i + 1 < count, bytes[i + 1] == UInt8(ascii: "\n") {
                        i += 1
                    } else if bytes[i] == UInt8(ascii: "\r"), i + 1 == count, !final {
                        return start
                    }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if bytes[i] == UInt8(ascii: "\n") {
                        i += 1
                        break record
                    }
                    i += 1  // a lone \r after a quoted field
                    break record
                }
                let recordLine = line
                line += 1 + newlines
                start = i
                // A blank line (one empty unquoted field) is skipped.
                if fields.count == 1, !fields[0].2, fields[0].0 == fields[0].1 { continue }
                try record(bytes, fields, line: recordLine)
            }
            return start
        }

        mutating func record(_ bytes: UnsafeBufferPointer<UInt8>, _ fields: [(Int, Int, Bool)], line: Int) throws(CSVError) {
            guard let header else {
                try makeHeader(bytes, fields, line: line)
                return
            }
            guard fields.count == header.count else {
                throw CSVError(
                    name, line: line,
                    "this row has \(fields.count) field\(fields.count == 1 ? "" : "s") but the header has \(header.count); every row needs one value per column (an empty one for a missing value)"
                )
            }
            lines.append(Int32(truncatingIfNeeded: line))
            for (position, field) in fields.enumerated() {
                let target = slot[position]
                if target < 0 { continue }
                let done: Bool
                if field.2 {
                    done = scratch.withUnsafeBufferPointer { builders[target].add(UnsafeBufferPointer(rebasing: $0[field.0..<field.1])) }
                } else {
                    done = builders[target].add(UnsafeBufferPointer(rebasing: bytes[field.0..<field.1]))
                }
                if !done {
                    throw builders[target].problem(
                        file: name, line: line, row: rows, bytes: field.2 ? scratch[field.0..<field.1] : Array(bytes[field.0..<field.1])[...])
                }
            }
            rows += 1
            if rows == CSVReader.inferenceRows {
                for index in builders.indices { builders[index].decide() }
            }
        }

        mutating func makeHeader(_ bytes: UnsafeBufferPointer<UInt8>, _ fields: [(Int, Int, Bool)], line: Int) throws(CSVError) {
            var names: [String] = []
            for field in fields {
                let raw = field.2 ? Array(scratch[field.0..<field.1]) : Array(bytes[field.0..<field.1])
                var name = String(decoding: raw, as: UTF8.self).trimmingSpaces
                if names.isEmpty, name.hasPrefix("\u{FEFF}") { name.removeFirst() }
                guard !name.isEmpty else {
                    throw CSVError(self.name, line: line, "column \(names.count + 1) of the header has no name; name every column")
                }
                if names.contains(name) { throw CSVError(self.name, line: line, "the header names '\(name)' twice; column names must be unique") }
                names.append(name)
            }
            header = names
            for name in names {
                if keep == nil || keep!.contains(name) {
                    slot.append(builders.count)
                    builders.append(ColumnBuilder(name: name, type: types[name] ?? .infer))
                } else {
                    slot.append(-1)
                }
            }
        }

        mutating func finish() throws(CSVError) -> CSVTable {
            guard let header else { throw CSVError(name, "the file is empty; it needs a header row and at least one data row") }
            guard rows > 0 else { throw CSVError(name, "the file has a header but no data rows") }
            var columns: [CSVTable.Column] = []
            for index in builders.indices {
                builders[index].decide()
                columns.append(builders[index].column())
            }
            return CSVTable(header: header, columns: columns, rowCount: rows, lines: lines)
        }
    }

    /// Collects one column. Until its type is fixed (after `inferenceRows` rows, or at the end) it
    /// keeps both readings: the numbers, and the text of every cell.
    struct ColumnBuilder {
        let name: String
        var type: ColumnType
        /// Still inferring: every cell so far was a number or empty.
        var couldBeNumeric = true
        var decided: Bool
        /// The type was inferred from the first rows (not given).
        let inferred: Bool
        var numbers: [Double] = []
        var codes: [Int32] = []
        var levels: [String] = []
        var index: [String: Int32] = [:]

        init(name: String, type: ColumnType) {
            self.name = name
            self.type = type
            decided = type != .infer
            inferred = type == .infer
        }

        /// Adds a cell; false when it does not fit the column's fixed numeric type.
        mutating func add(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
            let trimmed = cell.trimmingSpaces
            if decided {
                if type == .text {
                    codes.append(trimmed.isEmpty ? -1 : code(trimmed))
                    return true
                }
                if trimmed.isEmpty {
                    numbers.append(.nan)
                    return true
                }
                guard let value = NumberParser.parse(trimmed) else { return false }
                numbers.append(value)
                return true
            }
            // Inferring: keep the text, and the number while every cell is one.
            if trimmed.isEmpty {
                codes.append(-1)
                if couldBeNumeric { numbers.append(.nan) }
                return true
            }
            codes.append(code(trimmed))
            if couldBeNumeric {
                if let value = NumberParser.parse(trimmed) {
                    numbers.append(value)
                } else {
                    couldBeNumeric = false
                    numbers = []
                }
            }
            return true
        }

        private mutating func code(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
            let text = String(decoding: bytes, as: UTF8.self)
            if let known = index[text] { return known }
            let new = Int32(levels.count)
            levels.append(text)
            index[text] = new
            return new
        }

        /// Fixes the type from the rows seen so far: numbers if every non-empty cell was one (a
        /// column empty so far counts as numeric).
        mutating func decide() {
            guard !decided else { return }
            decided = true
            if couldBeNumeric {
                type = .numeric
                codes = []
                levels = []
                index = [:]
            } else {
                type = .text
            }
        }

        func problem(file: String, line: Int, row: Int, bytes: ArraySlice<UInt8>) -> CSVError {
            let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            let why = inferred ? "every non-empty cell of its first \(CSVReader.inferenceRows) rows is a number" : "the model reads it as numbers"
            return CSVError(
                file, line: line, "column '\(name)': '\(shown)' is not a number, but \(why); fix the cell, or leave it empty for a missing value")
        }

        func column() -> CSVTable.Column {
            type == .numeric
                ? CSVTable.Column(name: name, values: .numeric(numbers)) : CSVTable.Column(name: name, values: .text(codes: codes, levels: levels))
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}

extension UnsafeBufferPointer<UInt8> {
    var trimmingSpaces: UnsafeBufferPointer<UInt8> {
        var from = 0
        var to = count
        while from < to, self[from] == 0x20 || self[from] == 0x09 { from += 1 }
        while to > from, self[to - 1] == 0x20 || self[to - 1] == 0x09 { to -= 1 }
        return UnsafeBufferPointer(rebasing: self[from..<to])
    }
}

/// Decimal numbers from bytes: `-12`, `3.25`, `1e-3`, `.5`. Exact (correctly rounded) when the
/// digits fit 19 decimal places and the exponent is small, which covers data files; otherwise
/// the C library's `strtod` decides. `nan`, `inf` and hexadecimal are not numbers here.
enum NumberParser {
    static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        let n = b.count
        guard n > 0 else { return nil }
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            negative = b[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var any = false
        while i < n, b[i] &- 48 < 10 {
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(b[i] &- 48)
                if mantissa > 0 { digits += 1 }
            } else {
                scale += 1
            }
            any = true
            i += 1
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] &- 48 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b[i] &- 48)
                    if mantissa > 0 { digits += 1 }
                    scale -= 1
                }
                any = true
                i += 1
            }
        }
        guard any else { return nil }
        var exponent = 0
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            var expDigits = false
            while i < n, b[i] &- 48 < 10 {
                if exponent < 100_000 { exponent = exponent * 10 + Int(b[i] &- 48) }
                expDigits = true
                i += 1
            }
            guard expDigits else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        let total = scale + exponent
        if digits < 16 || mantissa < (1 << 53) {
            let m = Double(mantissa)
            if total == 0 { return negative ? -m : m }
            if total > 0, total <= 22 { return negative ? -(m * powers[total]) : m * powers[total] }
            if total < 0, total >= -22 { return negative ? -(m / powers[-total]) : m / powers[-total] }
        }
        // Rare: let the C library round it.
        var text = Array(b)
        text.append(0)
        return text.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { strtod($0, nil) }
        }
    }
}
