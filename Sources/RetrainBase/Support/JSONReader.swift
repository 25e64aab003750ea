import Glibc

/// Decodes JSON into `Decodable` values, for the files retrain reads on every command (the state
/// file above all: 10,000 schedules are 4.6 MB of it).
///
/// Written by hand because Foundation's `JSONDecoder` spent 72 ms on that file, more than half of
/// `retrain plan`'s budget; this reader takes about a fifth of that. It checks the whole text first
/// into a flat tape of tokens (one array, no tree of objects), so a syntax error is found before any
/// value is made and is reported with its line, column and what was expected there. Values are then
/// decoded straight from the tape: strings without escapes are made from the bytes in place, keys
/// are compared as bytes, and an object's keys are looked up from where the previous lookup in that
/// object ended, so decoding keys in file order (as synthesized `Codable` and `Dictionary` do) costs one
/// comparison each. A shape error (a string where a number belongs) is a `DecodingError` whose
/// coding path names the field, worked out from the tape only when there is an error.
public enum JSONReader {
    /// Text that is not JSON.
    public struct SyntaxError: Error, Sendable, Equatable {
        /// 1-based line and column (columns count characters, not bytes).
        public let line: Int
        public let column: Int
        /// What is wrong there.
        public let problem: String
    }

    /// Decodes `T` from `bytes`. Throws `SyntaxError` or `DecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeBufferPointer<UInt8>) throws -> T {
        let tape = try Tape.scan(bytes)
        return try Context(bytes: bytes, tokens: tape).decode(type, at: 0)
    }

    /// Decodes `T` from `bytes`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try decode(type, from: $0) }
    }

    /// Decodes a `TapeReadable` `T` from `bytes`: its own reading of the object first, its
    /// conformance when that declines. (Chosen by overload where `T` is known, so no dynamic cast.)
    package static func decode<T: TapeReadable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { b in
            let context = Context(bytes: b, tokens: try Tape.scan(b))
            if context.tokens.first?.kind == .object, let value = T.read(TapeObject(context: context, index: 0)) { return value }
            return try context.decode(type, at: 0)
        }
    }

    /// Decodes each line of `bytes` (JSON Lines: one value a line, empty lines skipped, and a last
    /// line without its line feed, a torn append, left out) as a `TapeReadable` `T`, in order:
    /// `body` gets the 1-based line number and the value or why the line is not one. One tape
    /// serves every line, and no line is copied (a year of history is 50 lines a schedule, read for
    /// each of 10,000 schedules by `report --all`).
    package static func decodeLines<T: TapeReadable>(_ type: T.Type, from bytes: [UInt8], _ body: (Int, Result<T, any Error>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            var tokens: [Token] = []
            tokens.reserveCapacity(256)
            var (start, number) = (0, 0)
            while start < all.count {
                let end = ByteSearch.index(of: 0x0A, in: all, from: start, to: all.count)
                guard end < all.count else { return }
                number += 1
                defer { start = end + 1 }
                guard end > start else { continue }
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                do {
                    tokens = try Tape.scan(line, into: tokens)
                    let context = Context(bytes: line, tokens: tokens)
                    if context.tokens.first?.kind == .object, let value = T.read(TapeObject(context: context, index: 0)) {
                        body(number, .success(value))
                    } else {
                        body(number, .success(try context.decode(type, at: 0)))
                    }
                } catch {
                    body(number, .failure(error))
                }
            }
        }
    }

    /// Decodes `T` from `bytes`, and gives the text of each member of the top-level object's
    /// member `key` whose value is an object, as it stands in `bytes` (so that a writer can keep
    /// the text of members that did not change: the state file's schedules).
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], membersOf key: String) throws -> (T, [String: String]) {
        try bytes.withUnsafeBufferPointer { b in
            let (value, members) = try decode(type, from: b, listing: key)
            var texts: [String: String] = [:]
            texts.reserveCapacity(members.count)
            for member in members where member.isObject {
                texts[member.key] = String(decoding: UnsafeBufferPointer(rebasing: b[member.value]), as: UTF8.self)
            }
            return (value, texts)
        }
    }

    /// One member of an object, where it stands in the text.
    public struct Member: Sendable, Equatable {
        public var key: String
        /// `"key":value`, from the key's opening quote to the value's last byte.
        public var text: Range<Int>
        /// The value alone.
        public var value: Range<Int>
        /// Whether the value is an object.
        public var isObject: Bool

        public init(key: String, text: Range<Int>, value: Range<Int>, isObject: Bool) {
            (self.key, self.text, self.value, self.isObject) = (key, text, value, isObject)
        }
    }

    /// Decodes `T` from `bytes` (its decoder need not read the top-level member `key`) and lists the
    /// members of that member, an object, in file order without decoding them: a reader then decodes
    /// the few it needs and a writer copies the others' text (the state file's schedules). The
    /// whole text is checked first, as by `decode`. No members when `key` is absent or not an object.
    /// With `shallow`, values nested deeper than the members of `key`'s members are checked but not
    /// kept: `T` must not read them (a member's value is then to be decoded from its own text).
    public static func decode<T: Decodable>(_ type: T.Type, from b: UnsafeBufferPointer<UInt8>, listing key: String, shallow: Bool = false) throws
        -> (T, [Member])
    {
        let tokens = try Tape.scan(b, keepingDepth: shallow ? 2 : Tape.maxDepth)
        let context = Context(bytes: b, tokens: tokens)
        let value = try context.decode(type, at: 0)
        guard tokens[0].kind == .object, let at = context.find(key, in: 0, cursor: Cursor(1)), tokens[at].kind == .object else { return (value, []) }
        var members: [Member] = []
        members.reserveCapacity(Int(tokens[at].count))
        var k = at + 1
        while k < Int(tokens[at].next) {
            let name = tokens[k]
            let member = tokens[k + 1]
            let span = context.span(of: member)
            members.append(
                Member(key: context.string(at: k), text: Int(name.start) - 1..<span.upperBound, value: span, isObject: member.kind == .object))
            k = Int(member.next)
        }
        return (value, members)
    }

    /// Checks `bytes` is JSON, without decoding anything.
    public static func check(_ bytes: [UInt8]) throws {
        _ = try bytes.withUnsafeBufferPointer { try Tape.scan($0) }
    }
}

// MARK: - The tape

/// One JSON value on the tape. Containers are followed by their members (an object's as key,
/// value, key, value…); `next` skips a value with everything inside it.
struct Token {
    package enum Kind: UInt8 { case object, array, string, escapedString, number, `true`, `false`, null }
    package var kind: Kind
    /// First byte: for strings the one after the opening quote.
    package var start: Int32
    /// For strings, the closing quote; for numbers, one past the last digit; for containers, the
    /// closing bracket.
    package var end: Int32
    /// The index of the token after this value and its members.
    package var next: Int32
    /// Members of a container (an object's pairs count once).
    package var count: Int32
}

private enum Tape {
    package static let maxDepth = 512

    /// The tape of `b`, checked whole. The members of containers deeper than `keepingDepth` (0 is
    /// the top value) are checked but left off the tape: such a container is a token with no members.
    package static func scan(_ b: UnsafeBufferPointer<UInt8>, keepingDepth: Int = maxDepth) throws -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(keepingDepth < maxDepth ? 1024 : b.count / 16 + 4)
        return try scan(b, keepingDepth: keepingDepth, into: tokens)
    }

    /// `scan`, onto `tokens` emptied (its storage reused when no one else holds it).
    package static func scan(_ b: UnsafeBufferPointer<UInt8>, keepingDepth: Int = maxDepth, into tokens: consuming [Token]) throws -> [Token] {
        guard b.count < Int(Int32.max) else {
            throw JSONReader.SyntaxError(line: 1, column: 1, problem: "the file is larger than 2 GB")
        }
        var scanner = Scanner(b: b, keep: keepingDepth)
        tokens.removeAll(keepingCapacity: true)
        scanner.tokens = tokens
        do {
            try scanner.value(depth: 0)
            scanner.space()
            if scanner.i < b.count { throw Failure(at: scanner.i, problem: "unexpected text after the JSON value") }
        } catch let failure as Failure {
            let mark = Mark(ofByte: failure.at, in: b)
            throw JSONReader.SyntaxError(line: mark.line, column: mark.column, problem: failure.problem)
        }
        return scanner.tokens
    }

    package struct Failure: Error {
        package let at: Int
        package let problem: String
    }

    package struct Scanner {
        package let b: UnsafeBufferPointer<UInt8>
        /// Containers deeper than this keep no members on the tape.
        package let keep: Int
        package var i = 0
        package var tokens: [Token] = []

        package init(b: UnsafeBufferPointer<UInt8>, keep: Int = Tape.maxDepth) {
            self.b = b
            self.keep = keep
        }

        package mutating func space() {
            while i < b.count {
                let c = b[i]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                i += 1
            }
        }

        package mutating func value(depth: Int) throws {
            space()
            guard i < b.count else { throw Failure(at: i, problem: "the file ends where a value was expected (was it cut short?)") }
            switch b[i] {
            case UInt8(ascii: "{"): try container(object: true, depth: depth)
            case UInt8(ascii: "["): try container(object: false, depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try word("true", .true)
            case UInt8(ascii: "f"): try word("false", .false)
            case UInt8(ascii: "n"): try word("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
                throw Failure(at: i, problem: "expected a value before '\(Character(Unicode.Scalar(b[i])))'")
            default:
                throw Failure(at: i, problem: "'\(wordAt(i))' is not a JSON value")
            }
        }

        func wordAt(_ start: Int) -> String {
            var end = start
            while end < b.count, end - start < 20, !" \t\r\n,:]}".utf8.contains(b[end]) { end += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<max(end, min(start + 1, b.count))]), as: UTF8.self)
        }

        package mutating func container(object: Bool, depth: Int) throws {
            guard depth < Tape.maxDepth else { throw Failure(at: i, problem: "nested more than \(Tape.maxDepth) levels deep") }
            let index = tokens.count
            tokens.append(Token(kind: object ? .object : .array, start: Int32(i), end: 0, next: 0, count: 0))
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let inside = object ? "an object" : "a list"
            i += 1
            space()
            var count: Int32 = 0
            if i < b.count, b[i] == close {
                i += 1
            } else {
                while true {
                    if object {
                        space()
                        guard i < b.count else { throw Failure(at: i, problem: "the file ends inside an object (was it cut short?)") }
                        guard b[i] == UInt8(ascii: "\"") else { throw Failure(at: i, problem: "expected a quoted key") }
                        try string()
                        space()
                        guard i < b.count else { throw Failure(at: i, problem: "the file ends inside an object (was it cut short?)") }
                        guard b[i] == UInt8(ascii: ":") else { throw Failure(at: i, problem: "expected ':' after the key") }
                        i += 1
                    }
                    try value(depth: depth + 1)
                    count += 1
                    space()
                    guard i < b.count else { throw Failure(at: i, problem: "the file ends inside \(inside) (was it cut short?)") }
                    if b[i] == close {
                        i += 1
                        break
                    }
                    guard b[i] == UInt8(ascii: ",") else {
                        throw Failure(at: i, problem: object ? "expected ',' or '}'" : "expected ',' or ']'")
                    }
                    i += 1
                    space()
                    if i < b.count, b[i] == close {
                        throw Failure(at: i, problem: "a ',' before '\(Character(Unicode.Scalar(close)))' (JSON allows no trailing comma)")
                    }
                }
            }
            if depth >= keep {
                // Checked, not kept: the tape's memory stays one container's worth.
                tokens.removeSubrange((index + 1)...)
                count = 0
            }
            tokens[index].end = Int32(i - 1)
            tokens[index].next = Int32(tokens.count)
            tokens[index].count = count
        }

        package mutating func string() throws {
            let open = i
            i += 1
            var escaped = false
            while true {
                // Eight bytes at a time while none of them is a quote, a backslash or a control
                // character (hashes and ids: most of a state file), then byte by byte. A word has a
                // byte below n when (x - n·0x01…) & ~x & 0x80… is not zero (n ≤ 128), and a byte
                // equal to c when x ^ c·0x01… has a byte below 1.
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                while i + 8 <= b.count {
                    let x = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    let quote = x ^ (ones &* 0x22)
                    let backslash = x ^ (ones &* 0x5C)
                    let stop = ((x &- ones &* 0x20) & ~x) | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                    if stop & highs != 0 { break }
                    i += 8
                }
                while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") {
                    if b[i] < 0x20 { throw Failure(at: i, problem: "a control character inside a string (write it as an escape such as \\n)") }
                    i += 1
                }
                guard i < b.count else { throw Failure(at: open, problem: "a string that never ends (was the file cut short?)") }
                if b[i] == UInt8(ascii: "\"") { break }
                escaped = true
                i += 1
                guard i < b.count else { throw Failure(at: open, problem: "a string that never ends (was the file cut short?)") }
                switch b[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard i + 4 < b.count, (1...4).allSatisfy({ hexValue(b[i + $0]) != nil }) else {
                        throw Failure(at: i - 1, problem: "'\\u' must be followed by four hexadecimal digits")
                    }
                    i += 5
                default:
                    throw Failure(at: i - 1, problem: "'\\\(Character(Unicode.Scalar(b[i])))' is not a JSON escape")
                }
            }
            tokens.append(
                Token(kind: escaped ? .escapedString : .string, start: Int32(open + 1), end: Int32(i), next: Int32(tokens.count + 1), count: 0))
            i += 1
        }

        package mutating func word(_ text: StaticString, _ kind: Token.Kind) throws {
            let n = text.utf8CodeUnitCount
            guard i + n <= b.count, memcmp(b.baseAddress! + i, text.utf8Start, n) == 0 else {
                throw Failure(at: i, problem: "'\(wordAt(i))' is not a JSON value")
            }
            tokens.append(Token(kind: kind, start: Int32(i), end: Int32(i + n), next: Int32(tokens.count + 1), count: 0))
            i += n
        }

        package mutating func number() throws {
            let start = i
            func digits() -> Int {
                let from = i
                while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
                return i - from
            }
            if b[i] == UInt8(ascii: "-") { i += 1 }
            let whole = i
            guard digits() > 0 else { throw Failure(at: start, problem: "'\(wordAt(start))' is not a JSON value") }
            if b[whole] == UInt8(ascii: "0"), i - whole > 1 { throw Failure(at: start, problem: "a number with a leading zero ('\(wordAt(start))')") }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw Failure(at: start, problem: "'\(wordAt(start))' is not a JSON value") }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw Failure(at: start, problem: "'\(wordAt(start))' is not a JSON value") }
            }
            if i < b.count {
                switch b[i] {
                case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"): break  // what may follow a number
                default: throw Failure(at: start, problem: "'\(wordAt(start))' is not a JSON value")
                }
            }
            tokens.append(Token(kind: .number, start: Int32(start), end: Int32(i), next: Int32(tokens.count + 1), count: 0))
        }
    }
}

private func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
    default: nil
    }
}

// MARK: - Decoding from the tape

/// The bytes and their tape, shared by every decoder and container of one decode.
private final class Context {
    package let bytes: UnsafeBufferPointer<UInt8>
    package let tokens: [Token]

    package init(bytes: UnsafeBufferPointer<UInt8>, tokens: [Token]) {
        self.bytes = bytes
        self.tokens = tokens
    }

    /// The bytes a value takes, quotes and brackets included.
    package func span(of token: Token) -> Range<Int> {
        switch token.kind {
        case .string, .escapedString: Int(token.start) - 1..<Int(token.end) + 1
        case .object, .array: Int(token.start)..<Int(token.end) + 1
        case .number, .true, .false, .null: Int(token.start)..<Int(token.end)
        }
    }

    package func bytes(of token: Token) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(token.start)..<Int(token.end)])
    }

    /// The coding path to the token at `target`, found by walking down from the top.
    package func path(to target: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var index = 0
        while index != target {
            let token = tokens[index]
            var child = index + 1
            var position = 0
            var found = false
            while child < Int(token.next) {
                let valueIndex = token.kind == .object ? child + 1 : child
                let after = Int(tokens[valueIndex].next)
                if target == child && token.kind == .object {
                    // The key itself: its path is the object's.
                    return path
                }
                if target >= valueIndex && target < after {
                    path.append(token.kind == .object ? AnyKey(string(at: child)) : AnyKey(index: position))
                    index = valueIndex
                    found = true
                    break
                }
                child = after
                position += 1
            }
            if !found { break }
        }
        return path
    }

    package func string(at index: Int) -> String {
        let token = tokens[index]
        if token.kind == .string { return String(decoding: bytes(of: token), as: UTF8.self) }
        return unescape(bytes(of: token))
    }

    /// The text of an escaped string (the tape already checked every escape).
    func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 << 4 | hexValue(raw[at + $1])! } }
        func append(_ scalar: UInt32) {
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: String(Character(s)).utf8)
        }
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                append(scalar)
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func mismatch(_ type: Any.Type, at index: Int) -> DecodingError {
        let token = tokens[index]
        let found =
            switch token.kind {
            case .object: "an object"
            case .array: "a list"
            case .string, .escapedString: "a string"
            case .number: "the number \(String(decoding: bytes(of: token), as: UTF8.self))"
            case .true, .false: "a boolean"
            case .null: "null"
            }
        return .typeMismatch(type, .init(codingPath: path(to: index), debugDescription: "expected \(Self.describe(type)), found \(found)"))
    }

    package static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "a list"
        case is [String: Any].Type: "an object"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            "a whole number"
        default: "\(type)"
        }
    }

    func decodeString(at index: Int) throws -> String {
        switch tokens[index].kind {
        case .string: String(decoding: bytes(of: tokens[index]), as: UTF8.self)
        case .escapedString: unescape(bytes(of: tokens[index]))
        default: throw mismatch(String.self, at: index)
        }
    }

    func decodeBool(at index: Int) throws -> Bool {
        switch tokens[index].kind {
        case .true: true
        case .false: false
        default: throw mismatch(Bool.self, at: index)
        }
    }

    func decodeDouble(at index: Int) throws -> Double {
        let token = tokens[index]
        guard token.kind == .number else { throw mismatch(Double.self, at: index) }
        let text = bytes(of: token)
        // strtod wants a terminated string; the number is at most a few dozen bytes.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buffer in
            for (k, byte) in text.enumerated() { buffer[k] = CChar(bitPattern: byte) }
            buffer[text.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws -> T {
        let token = tokens[index]
        guard token.kind == .number else { throw mismatch(type, at: index) }
        let text = bytes(of: token)
        var negative = false
        var k = 0
        if text[0] == UInt8(ascii: "-") {
            negative = true
            k = 1
        }
        var value: T = 0
        var exact = true
        while k < text.count {
            let c = text[k]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else {
                exact = false
                break
            }
            let digit = T(c - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !o1, !o2 else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: path(to: index), debugDescription: "\(String(decoding: text, as: UTF8.self)) does not fit in \(type)"))
            }
            value = sum
            k += 1
        }
        if exact { return value }
        // 1.0 or 1e3: whole numbers written another way.
        let double = try decodeDouble(at: index)
        guard double.rounded() == double, let whole = T(exactly: double) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: path(to: index), debugDescription: "expected a whole number, found \(String(decoding: text, as: UTF8.self))"))
        }
        return whole
    }

    func decodeFloat(at index: Int) throws -> Float { Float(try decodeDouble(at: index)) }

    /// Any `Decodable` at `index`. Types retrain reads by the hundred thousand are decoded
    /// straight from the tape: an object of numbers (a run's metrics; `Dictionary`'s generic
    /// decoding was half of reading a ledger) and an `Instant` (without a `String` made first).
    package func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        if T.self == [String: Double].self { return unsafeBitCast(try decodeNumbers(at: index), to: T.self) }
        if T.self == Instant.self, tokens[index].kind == .string { return unsafeBitCast(try decodeInstant(at: index), to: T.self) }
        return try T(from: ValueDecoder(self, at: index))
    }

    /// `decode` through the type's own conformance.
    fileprivate func conformance<V: Decodable>(_ type: V.Type, at index: Int) throws -> V {
        try V(from: ValueDecoder(self, at: index))
    }

    func decodeNumbers(at index: Int) throws -> [String: Double] {
        let token = tokens[index]
        guard token.kind == .object else { throw mismatch([String: Any].self, at: index) }
        var numbers: [String: Double] = [:]
        numbers.reserveCapacity(Int(token.count))
        var k = index + 1
        while k < Int(token.next) {
            numbers[string(at: k)] = try decodeDouble(at: k + 1)
            k = Int(tokens[k + 1].next)
        }
        return numbers
    }

    /// An unescaped string that is an instant (`Instant.init(from:)`, the same error).
    func decodeInstant(at index: Int) throws -> Instant {
        guard let instant = Instant.parse(bytes: bytes(of: tokens[index])) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(to: index), debugDescription: Instant.notAnInstant(string(at: index))))
        }
        return instant
    }

    /// The value token of `key` in the object at `object`, or nil. The search starts at `cursor`
    /// (a key of this object, where the previous lookup in it ended) and wraps around.
    package func find(_ key: String, in object: Int, cursor: Cursor) -> Int? {
        let token = tokens[object]
        let first = object + 1
        let end = Int(token.next)
        guard first < end else { return nil }
        var name = key
        return name.withUTF8 { want -> Int? in
            func matches(_ k: Int) -> Bool {
                let t = tokens[k]
                let n = Int(t.end - t.start)
                if t.kind == .string {
                    return n == want.count && (n == 0 || memcmp(bytes.baseAddress! + Int(t.start), want.baseAddress!, n) == 0)
                }
                return unescape(bytes(of: t)).utf8.elementsEqual(want)
            }
            let from = cursor.key < end ? cursor.key : first
            var k = from
            while k < end {
                if matches(k) {
                    cursor.key = Int(tokens[k + 1].next)
                    return k + 1
                }
                k = Int(tokens[k + 1].next)
            }
            k = first
            while k < from {
                if matches(k) {
                    cursor.key = Int(tokens[k + 1].next)
                    return k + 1
                }
                k = Int(tokens[k + 1].next)
            }
            return nil
        }
    }
}

/// Where the next key lookup in one object starts: one per object, so it always points at a key of
/// that object (a lookup inside a nested object moves only the nested object's cursor).
private final class Cursor {
    package var key: Int
    package init(_ key: Int) { self.key = key }
}

extension JSONReader {
    /// The first key of the object `decoder` is at that is none of `known`, or nil. Read from the
    /// tape without making a string of each key (the state's 10,000 entries are checked on every
    /// read); other decoders list the object's keys.
    package static func unknownKey(in decoder: any Decoder, known: [String]) -> String? {
        guard let value = decoder as? ValueDecoder else {
            return (try? decoder.container(keyedBy: AnyKey.self))?.allKeys.first { !known.contains($0.stringValue) }?.stringValue
        }
        let context = value.context
        let token = context.tokens[value.index]
        guard token.kind == .object else { return nil }
        var k = value.index + 1
        while k < Int(token.next) {
            let name = context.tokens[k]
            let bytes = context.bytes(of: name)
            let isKnown =
                name.kind == .string
                && known.contains { key in
                    key.utf8.count == bytes.count && key.utf8.elementsEqual(bytes)
                }
            if !isKnown { return context.string(at: k) }
            k = Int(context.tokens[k + 1].next)
        }
        return nil
    }
}

private struct AnyKey: CodingKey {
    package var stringValue: String
    package var intValue: Int?
    package init(_ string: String) { stringValue = string }
    package init(index: Int) {
        stringValue = "\(index)"
        intValue = index
    }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { self.init(index: intValue) }
}

private struct ValueDecoder: Decoder, SingleValueDecodingContainer {
    package let context: Context
    package let index: Int

    package init(_ context: Context, at index: Int) {
        self.context = context
        self.index = index
    }

    package var codingPath: [any CodingKey] { context.path(to: index) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    package func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard context.tokens[index].kind == .object else { throw context.mismatch([String: Any].self, at: index) }
        return KeyedDecodingContainer(ObjectContainer<Key>(context: context, object: index, cursor: Cursor(index + 1)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard context.tokens[index].kind == .array else { throw context.mismatch([Any].self, at: index) }
        return ArrayContainer(context: context, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { context.tokens[index].kind == .null }
    package func decode(_ type: Bool.Type) throws -> Bool { try context.decodeBool(at: index) }
    package func decode(_ type: String.Type) throws -> String { try context.decodeString(at: index) }
    package func decode(_ type: Double.Type) throws -> Double { try context.decodeDouble(at: index) }
    package func decode(_ type: Float.Type) throws -> Float { try context.decodeFloat(at: index) }
    package func decode(_ type: Int.Type) throws -> Int { try context.decodeInteger(type, at: index) }
    package func decode(_ type: Int8.Type) throws -> Int8 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: Int16.Type) throws -> Int16 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: Int32.Type) throws -> Int32 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: Int64.Type) throws -> Int64 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: UInt.Type) throws -> UInt { try context.decodeInteger(type, at: index) }
    package func decode(_ type: UInt8.Type) throws -> UInt8 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: UInt16.Type) throws -> UInt16 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: UInt32.Type) throws -> UInt32 { try context.decodeInteger(type, at: index) }
    package func decode(_ type: UInt64.Type) throws -> UInt64 { try context.decodeInteger(type, at: index) }
    package func decode<T: Decodable>(_ type: T.Type) throws -> T { try context.decode(type, at: index) }
}

private struct ObjectContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    package let context: Context
    package let object: Int
    package let cursor: Cursor

    package var codingPath: [any CodingKey] { context.path(to: object) }

    package var allKeys: [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(Int(context.tokens[object].count))
        var k = object + 1
        while k < Int(context.tokens[object].next) {
            if let key = Key(stringValue: context.string(at: k)) { keys.append(key) }
            k = Int(context.tokens[k + 1].next)
        }
        return keys
    }

    package func contains(_ key: Key) -> Bool { context.find(key.stringValue, in: object, cursor: cursor) != nil }

    private func value(_ key: Key) throws -> Int {
        guard let index = context.find(key.stringValue, in: object, cursor: cursor) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "the key \"\(key.stringValue)\" is missing"))
        }
        return index
    }

    private func present(_ key: Key) -> Int? {
        guard let index = context.find(key.stringValue, in: object, cursor: cursor), context.tokens[index].kind != .null else { return nil }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { context.tokens[try value(key)].kind == .null }
    package func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try context.decodeBool(at: try value(key)) }
    package func decode(_ type: String.Type, forKey key: Key) throws -> String { try context.decodeString(at: try value(key)) }
    package func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try context.decodeDouble(at: try value(key)) }
    package func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try context.decodeFloat(at: try value(key)) }
    package func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try context.decodeInteger(type, at: try value(key)) }
    package func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try context.decodeInteger(type, at: try value(key)) }
    package func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try context.decode(type, at: try value(key))
    }

    // The optional forms: a missing key and null are both nil.
    package func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key).map(context.decodeBool) }
    package func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key).map(context.decodeString) }
    package func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key).map(context.decodeDouble) }
    package func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try context.decodeInteger(type, at: $0) }
    }
    package func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        try present(key).map { try context.decodeInteger(type, at: $0) }
    }
    package func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try context.decode(type, at: $0) }
    }

    package func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(context, at: try value(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(context, at: try value(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(context, at: object) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ValueDecoder(context, at: try value(key)) }
}

private struct ArrayContainer: UnkeyedDecodingContainer {
    package let context: Context
    package let array: Int
    /// The token of the next element.
    private var position: Int
    private(set) var currentIndex = 0

    package init(context: Context, array: Int) {
        self.context = context
        self.array = array
        position = array + 1
    }

    package var codingPath: [any CodingKey] { context.path(to: array) }
    package var count: Int? { Int(context.tokens[array].count) }
    var isAtEnd: Bool { currentIndex >= Int(context.tokens[array].count) }

    /// The next element's token, moving past it.
    private mutating func advance(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [AnyKey(index: currentIndex)], debugDescription: "the list has only \(currentIndex) items"))
        }
        let index = position
        position = Int(context.tokens[index].next)
        currentIndex += 1
        return index
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, context.tokens[position].kind == .null else { return false }
        _ = try advance(Never.self)
        return true
    }

    package mutating func decode(_ type: Bool.Type) throws -> Bool { try context.decodeBool(at: try advance(type)) }
    package mutating func decode(_ type: String.Type) throws -> String { try context.decodeString(at: try advance(type)) }
    package mutating func decode(_ type: Double.Type) throws -> Double { try context.decodeDouble(at: try advance(type)) }
    package mutating func decode(_ type: Float.Type) throws -> Float { try context.decodeFloat(at: try advance(type)) }
    package mutating func decode(_ type: Int.Type) throws -> Int { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: Int8.Type) throws -> Int8 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: Int16.Type) throws -> Int16 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: Int32.Type) throws -> Int32 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: Int64.Type) throws -> Int64 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: UInt.Type) throws -> UInt { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try context.decodeInteger(type, at: try advance(type)) }
    package mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try context.decode(type, at: try advance(type)) }

    package mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(context, at: try advance(type)).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(context, at: try advance([Any].self)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { ValueDecoder(context, at: try advance(Any.self)) }
}

extension JSONReader {
    /// A value kept as its JSON text with the white space between tokens taken out, instead of being
    /// decoded: a version-1 state's 500,000 history entries move into the ledgers as they are.
    /// Decodable only by this reader.
    public struct RawText: Decodable, Sendable, Equatable {
        /// The compact text.
        public var bytes: [UInt8]

        public init(from decoder: any Decoder) throws {
            guard let value = decoder as? ValueDecoder else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "raw JSON text is read by JSONReader only"))
            }
            bytes = value.context.compactText(at: value.index)
        }
    }
}

extension Context {
    /// The text of the value at `index`, white space outside strings left out.
    func compactText(at index: Int) -> [UInt8] {
        let token = tokens[index]
        var from = Int(token.start)
        var to = Int(token.end)
        switch token.kind {
        case .string, .escapedString:
            from -= 1
            to += 1
        case .object, .array:
            to += 1
        default: break
        }
        var out: [UInt8] = []
        out.reserveCapacity(to - from)
        var inString = false
        var i = from
        while i < to {
            let c = bytes[i]
            if inString {
                out.append(c)
                if c == UInt8(ascii: "\\") {
                    i += 1
                    out.append(bytes[i])
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if c == UInt8(ascii: "\"") {
                inString = true
                out.append(c)
            } else if c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09 {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}

// MARK: - Reading an object straight from the tape

/// A type that reads itself from a JSON object on the tape faster than its `Decodable` conformance
/// (for types read by the hundred thousand). Nil when anything is not as expected: the conformance
/// then decodes it, or says where it is wrong.
package protocol TapeReadable: Decodable {
    static func read(_ object: TapeObject) -> Self?
}

/// One object on the tape, its members visited in order.
package struct TapeObject {
    fileprivate let context: Context
    fileprivate let index: Int

    /// Calls `body` with each member; stops, returning false, when `body` does.
    package func members(_ body: (TapeKey, TapeValue) -> Bool) -> Bool {
        let tokens = context.tokens
        var k = index + 1
        while k < Int(tokens[index].next) {
            let v = k + 1
            guard body(TapeKey(context: context, index: k), TapeValue(context: context, index: v)) else { return false }
            k = Int(tokens[v].next)
        }
        return true
    }
}

/// A member's key.
package struct TapeKey {
    fileprivate let context: Context
    fileprivate let index: Int

    /// The key's UTF-8 bytes; nil for a key with escapes (no key retrain writes has one).
    package var bytes: UnsafeBufferPointer<UInt8>? {
        let t = context.tokens[index]
        return t.kind == .string ? context.bytes(of: t) : nil
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are `name`'s.
    @inlinable package func equals(_ name: StaticString) -> Bool {
        count == name.utf8CodeUnitCount && (count == 0 || memcmp(baseAddress!, name.utf8Start, count) == 0)
    }
}

/// A member's value; each reading is nil when the value is not of that kind.
package struct TapeValue {
    fileprivate let context: Context
    fileprivate let index: Int

    private var kind: Token.Kind { context.tokens[index].kind }

    package var isNull: Bool { kind == .null }

    package var string: String? {
        kind == .string || kind == .escapedString ? context.string(at: index) : nil
    }

    /// An unescaped string that is an ISO 8601 instant.
    package var instant: Instant? {
        kind == .string ? Instant.parse(bytes: context.bytes(of: context.tokens[index])) : nil
    }

    package var int: Int? { try? context.decodeInteger(Int.self, at: index) }

    package var double: Double? { try? context.decodeDouble(at: index) }

    /// An object of numbers.
    package var numbers: [String: Double]? { try? context.decodeNumbers(at: index) }

    /// Any `Decodable`, through its conformance.
    package func decode<V: Decodable>(_ type: V.Type) -> V? { try? context.conformance(type, at: index) }
}
