/// A validation gate: `METRIC OP EXPR`, where EXPR is a number or `champion.M`/`previous.M` with an
/// optional `+ N`, `- N` or `* N`. A gate naming a baseline holds while that baseline does not exist.
public struct Gate: Sendable, Hashable, CustomStringConvertible {
    /// The comparison.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case greater = ">"
        case less = "<"
    }

    /// Which earlier run a reference reads.
    public enum Baseline: String, Sendable, Hashable {
        case champion, previous
    }

    /// `+ N`, `- N` or `* N` after a reference.
    public struct Adjustment: Sendable, Hashable {
        /// `+`, `-` or `*`.
        public var op: Character
        /// N.
        public var value: Double
    }

    /// The right-hand side.
    public enum Operand: Sendable, Hashable {
        case number(Double)
        case reference(Baseline, metric: String, adjustment: Adjustment?)
    }

    /// The metric being checked.
    public var metric: String
    /// The comparison.
    public var comparison: Comparison
    /// What it is compared with.
    public var operand: Operand
    /// The gate as written.
    public var source: String
    /// Offset of the referenced metric's name in `source`, for diagnostics.
    public var referenceOffset: Int?

    public var description: String { source }

    /// The metric named on the right-hand side, if any.
    public var referencedMetric: String? {
        if case .reference(_, let metric, _) = operand { return metric }
        return nil
    }

    /// Parses a gate; error offsets point into `text`.
    public static func parse(_ text: String) -> Result<Gate, FieldError> {
        text.withUTF8Bytes { parse(text, bytes: $0) }
    }

    private static func parse(_ text: String, bytes: UnsafeBufferPointer<UInt8>) -> Result<Gate, FieldError> {
        var s = Scanner(bytes: bytes)
        let example = "write METRIC OP VALUE, e.g. 'auc >= 0.80' or 'rmse <= previous.rmse * 1.1'"
        s.skipSpaces()
        guard let metric = s.identifier() else {
            return .failure(FieldError("a gate starts with a metric name; \(example)", at: s.scalarOffset))
        }
        s.skipSpaces()
        let opOffset = s.scalarOffset
        var comparison: Comparison?
        if s.take(">=") {
            comparison = .greaterOrEqual
        } else if s.take("<=") {
            comparison = .lessOrEqual
        } else if s.take(">") {
            comparison = .greater
        } else if s.take("<") {
            comparison = .less
        }
        guard let comparison else {
            let found = s.peekWord()
            let hint = found == "==" || found == "=" || found == "!=" ? "; equality is not a gate, use >= or <=" : ""
            return .failure(FieldError("expected one of >=, <=, >, < after '\(metric)'\(hint)", at: opOffset))
        }
        if let next = s.peek(), next == UInt8(ascii: "=") || next == UInt8(ascii: ">") || next == UInt8(ascii: "<") {
            return .failure(
                FieldError("'\(comparison.rawValue)\(Character(Unicode.Scalar(next)))' is not a comparison; use one of >=, <=, >, <", at: opOffset))
        }
        s.skipSpaces()
        let operandOffset = s.scalarOffset
        let operand: Operand
        var referenceOffset: Int?
        if let number = s.number() {
            operand = .number(number)
        } else if let word = s.identifier() {
            guard let baseline = Baseline(rawValue: word) else {
                return .failure(
                    FieldError(
                        "'\(word)' is not a value; compare with a number, champion.METRIC or previous.METRIC\(Suggestion.hint(for: word, in: ["champion", "previous"]))",
                        at: operandOffset))
            }
            guard s.take(".") else {
                return .failure(FieldError("'\(word)' needs a metric: \(word).METRIC, e.g. \(word).\(metric)", at: s.scalarOffset))
            }
            referenceOffset = s.scalarOffset
            guard let referenced = s.identifier() else {
                return .failure(FieldError("expected a metric name after '\(word).'", at: s.scalarOffset))
            }
            s.skipSpaces()
            var adjustment: Adjustment?
            if let op = s.peek(), op == UInt8(ascii: "+") || op == UInt8(ascii: "-") || op == UInt8(ascii: "*") {
                s.advance()
                s.skipSpaces()
                let numberOffset = s.scalarOffset
                guard let value = s.number() else {
                    return .failure(FieldError("expected a number after '\(Character(Unicode.Scalar(op)))'", at: numberOffset))
                }
                adjustment = Adjustment(op: Character(Unicode.Scalar(op)), value: value)
            }
            operand = .reference(baseline, metric: referenced, adjustment: adjustment)
        } else {
            return .failure(FieldError("expected a number, champion.METRIC or previous.METRIC after '\(comparison.rawValue)'", at: operandOffset))
        }
        s.skipSpaces()
        guard s.atEnd else {
            return .failure(FieldError("unexpected '\(s.rest)' at the end of the gate; \(example)", at: s.scalarOffset))
        }
        return .success(Gate(metric: metric, comparison: comparison, operand: operand, source: text, referenceOffset: referenceOffset))
    }

    /// A cursor over the gate's UTF-8 bytes; every check is ASCII. Offsets are bytes, which equal
    /// scalars for the ASCII text gates are written in; `scalarOffset` converts for error positions.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        var atEnd: Bool { offset >= bytes.count }
        var rest: String { String(decoding: bytes[offset...], as: UTF8.self) }
        func peek() -> UInt8? { atEnd ? nil : bytes[offset] }
        mutating func advance() { offset += 1 }
        mutating func skipSpaces() { while let c = peek(), c == 0x20 || c == 0x09 { offset += 1 } }

        /// The current position in Unicode scalars, for diagnostics.
        var scalarOffset: Int { bytes[..<min(offset, bytes.count)].count { $0 & 0xC0 != 0x80 } }

        static func isLetter(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == 0x5F }
        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        mutating func take(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard offset + n <= bytes.count else { return false }
            for i in 0..<n where bytes[offset + i] != text.utf8Start[i] { return false }
            offset += n
            return true
        }

        func peekWord() -> String {
            var end = offset
            while end < bytes.count, bytes[end] != 0x20 { end += 1 }
            return String(decoding: bytes[offset..<end], as: UTF8.self)
        }

        mutating func identifier() -> String? {
            guard let first = peek(), Self.isLetter(first) else { return nil }
            let start = offset
            while let c = peek(), Self.isLetter(c) || Self.isDigit(c) { offset += 1 }
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }

        mutating func number() -> Double? {
            let start = offset
            if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") { offset += 1 }
            var digits = 0
            while let c = peek() {
                let exponentSign = (c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) && (bytes[offset - 1] | 0x20 == UInt8(ascii: "e"))
                guard Self.isDigit(c) || c == UInt8(ascii: ".") || c | 0x20 == UInt8(ascii: "e") || exponentSign else { break }
                if Self.isDigit(c) { digits += 1 }
                offset += 1
            }
            guard digits > 0, let value = Double(String(decoding: bytes[start..<offset], as: UTF8.self)), value.isFinite else {
                offset = start
                return nil
            }
            return value
        }
    }
}
