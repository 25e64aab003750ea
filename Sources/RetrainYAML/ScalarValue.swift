/// A plain scalar's type under the YAML 1.2 core schema; quoted and block scalars are always strings.
public enum ScalarValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// Resolves `text` written in `style` by the YAML 1.2 core schema.
    public init(_ text: String, style: ScalarStyle) {
        guard style == .plain else {
            self = .string(text)
            return
        }
        self = ScalarValue.resolvePlain(text)
    }

    static func resolvePlain(_ text: String) -> ScalarValue {
        // Most plain scalars are words: decide those from the first byte without comparing strings.
        guard let lead = text.utf8.first else { return .null }
        switch lead {
        case UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
            UInt8(ascii: "~"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            break
        default:
            return .string(text)
        }
        // Every special word is at most 6 bytes: pack short text into an integer and compare integers,
        // instead of comparing strings one case at a time.
        if text.utf8.count <= 6 {
            let code = pack(text)
            for (word, value) in specialWords where word == code { return value }
        } else if lead > UInt8(ascii: "9") {
            return .string(text)
        }
        var copy = text
        let kind = copy.withUTF8 { numberKind($0) }
        switch kind {
        case .integer:
            if let int = parseInt(text.utf8) { return .int(int) }
            // Too large for Int: decimal digits also match the float form.
            if kind == .integer, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 || $0 == 0x2D || $0 == 0x2B }), let double = Double(text) {
                return .float(double)
            }
        case .float: if let double = Double(text) { return .float(double) }
        case .none: break
        }
        return .string(text)
    }

    private enum NumberKind { case none, integer, float }

    /// Which YAML 1.2 core number form `b` has, in one pass over contiguous bytes:
    /// `[-+]?[0-9]+` (or `0x…`/`0o…`), or `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
    private static func numberKind(_ b: UnsafeBufferPointer<UInt8>) -> NumberKind {
        let n = b.count
        var i = 0
        @inline(__always) func digit(_ j: Int) -> Bool { j < n && b[j] >= 0x30 && b[j] <= 0x39 }
        if n > 2, b[0] == UInt8(ascii: "0"), b[1] == UInt8(ascii: "x") || b[1] == UInt8(ascii: "o") { return .integer }
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        let intStart = i
        while digit(i) { i += 1 }
        let intDigits = i - intStart
        if i == n { return intDigits > 0 ? .integer : .none }
        var fracDigits = 0
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while digit(i) { i += 1 }
            fracDigits = i - fracStart
        }
        guard intDigits + fracDigits > 0 else { return .none }
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            let expStart = i
            while digit(i) { i += 1 }
            if i == expStart { return .none }
        }
        return i == n ? .float : .none
    }

    /// The plain words with a meaning of their own under the YAML 1.2 core schema, packed by `pack`.
    static let specialWords: [(UInt64, ScalarValue)] =
        ([
            ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
            ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
            ("false", .bool(false)), ("False", .bool(false)), ("FALSE", .bool(false)),
            (".inf", .float(.infinity)), (".Inf", .float(.infinity)), (".INF", .float(.infinity)),
            ("+.inf", .float(.infinity)), ("+.Inf", .float(.infinity)), ("+.INF", .float(.infinity)),
            ("-.inf", .float(-.infinity)), ("-.Inf", .float(-.infinity)), ("-.INF", .float(-.infinity)),
            (".nan", .float(.nan)), (".NaN", .float(.nan)), (".NAN", .float(.nan)),
        ] as [(String, ScalarValue)]).map { (pack($0.0), $0.1) }

    /// Up to 8 bytes of text as one integer (shorter text is zero-padded, so lengths differ too).
    static func pack(_ text: String) -> UInt64 {
        var code: UInt64 = 0
        var shift: UInt64 = 0
        for byte in text.utf8.prefix(8) {
            code |= UInt64(byte) << shift
            shift += 8
        }
        return code
    }

    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+` (YAML 1.2 core), without allocating.
    static func parseInt(_ utf8: String.UTF8View) -> Int? {
        var i = utf8.startIndex
        let end = utf8.endIndex
        guard i != end else { return nil }
        if utf8[i] == UInt8(ascii: "0"), utf8.count > 2 {
            let marker = utf8[utf8.index(after: i)]
            if marker == UInt8(ascii: "x") || marker == UInt8(ascii: "o") {
                return Int(Substring(utf8[utf8.index(i, offsetBy: 2)...]), radix: marker == UInt8(ascii: "x") ? 16 : 8)
            }
        }
        var negative = false
        if utf8[i] == UInt8(ascii: "-") || utf8[i] == UInt8(ascii: "+") {
            negative = utf8[i] == UInt8(ascii: "-")
            i = utf8.index(after: i)
            guard i != end else { return nil }
        }
        var value = 0
        while i != end {
            let byte = utf8[i]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(byte - 0x30))
            if o1 || o2 { return nil }
            value = sum
            i = utf8.index(after: i)
        }
        return negative ? -value : value
    }

    /// True for the plain words YAML 1.1 reads as booleans but 1.2 reads as strings (`yes`, `Off`, `y`…).
    public static func isYAML11Boolean(_ text: String) -> Bool {
        guard text.utf8.count <= 3, let lead = text.utf8.first,
            lead | 0x20 == UInt8(ascii: "y") || lead | 0x20 == UInt8(ascii: "n") || lead | 0x20 == UInt8(ascii: "o")
        else { return false }
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "on", "On", "ON", "off", "Off", "OFF":
            return true
        default:
            return false
        }
    }

    /// The YAML 1.1 boolean words that common YAML 1.1 readers (PyYAML, Ruby's Psych) really turn into
    /// booleans: yes/no/on/off in their three casings. `y` and `n` are left out, as PyYAML leaves them out,
    /// so a column named `y` draws no warning.
    public static func isCommonYAML11Boolean(_ text: String) -> Bool {
        isYAML11Boolean(text) && text.count > 1
    }

    /// What a YAML 1.1 reader makes of such a word.
    public static func yaml11BooleanValue(_ text: String) -> Bool {
        switch text.lowercased() {
        case "y", "yes", "on": return true
        default: return false
        }
    }
}
