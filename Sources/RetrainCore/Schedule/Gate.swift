/// A validation gate: `METRIC OP EXPR`, where EXPR is a number or `champion.M`/`previous.M` with an
/// optional `+ N`, `- N` or `* N`. A gate naming a baseline holds while that baseline does not exist.
public struct Gate: Sendable, Hashable, CustomStringConvertible {
    /// The comparison.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<"
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
        var s = Scanner(Array(text.unicodeScalars))
        let example = "write METRIC OP VALUE, e.g. 'auc >= 0.80' or 'rmse <= previous.rmse * 1.1'"
        s.skipSpaces()
        guard let metric = s.identifier() else {
            return .failure(FieldError("a gate starts with a metric name; \(example)", at: s.offset))
        }
        s.skipSpaces()
        let opOffset = s.offset
        var comparison: Comparison?
        for candidate in [Comparison.greaterOrEqual, .lessOrEqual, .greater, .less] where s.take(candidate.rawValue) {
            comparison = candidate
            break
        }
        guard let comparison else {
            let found = s.peekWord()
            let hint = found == "==" || found == "=" || found == "!=" ? "; equality is not a gate, use >= or <=" : ""
            return .failure(FieldError("expected one of >=, <=, >, < after '\(metric)'\(hint)", at: opOffset))
        }
        if s.peek() == "=" || s.peek() == ">" || s.peek() == "<" {
            return .failure(FieldError("'\(comparison.rawValue)\(s.peek()!)' is not a comparison; use one of >=, <=, >, <", at: opOffset))
        }
        s.skipSpaces()
        let operandOffset = s.offset
        let operand: Operand
        var referenceOffset: Int?
        if let number = s.number() {
            operand = .number(number)
        } else if let word = s.identifier() {
            guard let baseline = Baseline(rawValue: word) else {
                return .failure(FieldError("'\(word)' is not a value; compare with a number, champion.METRIC or previous.METRIC\(Suggestion.hint(for: word, in: ["champion", "previous"]))", at: operandOffset))
            }
            guard s.take(".") else {
                return .failure(FieldError("'\(word)' needs a metric: \(word).METRIC, e.g. \(word).\(metric)", at: s.offset))
            }
            referenceOffset = s.offset
            guard let referenced = s.identifier() else {
                return .failure(FieldError("expected a metric name after '\(word).'", at: s.offset))
            }
            s.skipSpaces()
            var adjustment: Adjustment?
            if let op = s.peek(), op == "+" || op == "-" || op == "*" {
                s.advance()
                s.skipSpaces()
                let numberOffset = s.offset
                guard let value = s.number() else {
                    return .failure(FieldError("expected a number after '\(op)'", at: numberOffset))
                }
                adjustment = Adjustment(op: Character(op), value: value)
            }
            operand = .reference(baseline, metric: referenced, adjustment: adjustment)
        } else {
            return .failure(FieldError("expected a number, champion.METRIC or previous.METRIC after '\(comparison.rawValue)'", at: operandOffset))
        }
        s.skipSpaces()
        guard s.atEnd else {
            return .failure(FieldError("unexpected '\(s.rest)' at the end of the gate; \(example)", at: s.offset))
        }
        return .success(Gate(metric: metric, comparison: comparison, operand: operand, source: text, referenceOffset: referenceOffset))
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var offset = 0

        init(_ chars: [Unicode.Scalar]) { self.chars = chars }

        var atEnd: Bool { offset >= chars.count }
        var rest: String { String(String.UnicodeScalarView(chars[offset...])) }
        func peek() -> Unicode.Scalar? { atEnd ? nil : chars[offset] }
        mutating func advance() { offset += 1 }
        mutating func skipSpaces() { while let c = peek(), c == " " || c == "\t" { offset += 1 } }

        mutating func take(_ text: String) -> Bool {
            let t = Array(text.unicodeScalars)
            guard offset + t.count <= chars.count, Array(chars[offset..<(offset + t.count)]) == t else { return false }
            offset += t.count
            return true
        }

        func peekWord() -> String {
            var end = offset
            while end < chars.count, chars[end] != " " { end += 1 }
            return String(String.UnicodeScalarView(chars[offset..<end]))
        }

        mutating func identifier() -> String? {
            guard let first = peek(), first.properties.isAlphabetic || first == "_", first.isASCII else { return nil }
            let start = offset
            while let c = peek(), c.isASCII, c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) { offset += 1 }
            return String(String.UnicodeScalarView(chars[start..<offset]))
        }

        mutating func number() -> Double? {
            let start = offset
            if peek() == "-" || peek() == "+" { offset += 1 }
            var digits = 0
            while let c = peek(), ("0"..."9").contains(c) || c == "." || c == "e" || c == "E" ||
                ((c == "-" || c == "+") && (chars[offset - 1] == "e" || chars[offset - 1] == "E")) {
                if ("0"..."9").contains(c) { digits += 1 }
                offset += 1
            }
            guard digits > 0, let value = Double(String(String.UnicodeScalarView(chars[start..<offset]))), value.isFinite else {
                offset = start
                return nil
            }
            return value
        }
    }
}
