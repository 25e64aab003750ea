public import RetrainYAML

/// A short key packed into integers: equal codes mean equal keys for keys of up to 16 bytes, and longer
/// keys are confirmed with `==`. Comparing two integers is much cheaper than comparing two different
/// strings, which is what most comparisons in a key lookup are.
public struct KeyCode: Sendable, Equatable {
    let head: UInt64
    let tail: UInt64
    let count: Int

    /// The code of `key`.
    public init(_ key: String) {
        var key = key
        (head, tail, count) = key.withUTF8 { bytes in
            var head: UInt64 = 0
            var tail: UInt64 = 0
            for i in 0..<min(bytes.count, 8) { head |= UInt64(bytes[i]) << (8 * UInt64(i)) }
            if bytes.count > 8 {
                for i in 8..<min(bytes.count, 16) { tail |= UInt64(bytes[i]) << (8 * UInt64(i - 8)) }
            }
            return (head, tail, bytes.count)
        }
    }
}

/// A fixed list of keys with their codes, built once per mapping kind.
public struct KeySet: Sendable {
    /// The keys, in documentation order (for messages).
    public let names: [String]
    let codes: [KeyCode]

    /// Creates a key set.
    public init(_ names: [String]) {
        self.names = names
        self.codes = names.map(KeyCode.init)
    }

    func contains(_ key: String, code: KeyCode) -> Bool {
        index(of: key, code: code) != nil
    }

    /// The position of `key` in `names`.
    func index(of key: String, code: KeyCode? = nil) -> Int? {
        let code = code ?? KeyCode(key)
        var i = 0
        while i < codes.count {
            if codes[i] == code && (code.count <= 16 || names[i] == key) { return i }
            i += 1
        }
        return nil
    }
}

/// A mapping's pairs by key, in source order. A linear scan over packed key codes: mappings in
/// schedules have a few dozen keys at most. The pairs are the parsed mapping's own (held once, not
/// copied pair by pair); `kept` says which of them count.
public struct FieldMap: Sendable {
    /// One key: its text, where it is, and its value.
    public struct Entry: Sendable {
        /// The key's text.
        public let key: String
        /// Where the key is.
        public let keyMark: Mark
        /// The value node.
        public let value: YAMLNode
    }

    private let pairs: [YAMLPair]
    /// Positions in `pairs` of the keys kept (text keys, the first of duplicates), in source order.
    private var kept: [Int] = []
    private var codes: [KeyCode] = []

    init(_ pairs: [YAMLPair]) {
        self.pairs = pairs
        kept.reserveCapacity(pairs.count)
        codes.reserveCapacity(pairs.count)
    }

    /// Keys and values, in source order, without duplicates.
    public var entries: LazyMapCollection<[Int], Entry> {
        kept.lazy.map { [pairs] in Entry(key: pairs[$0].key.scalar ?? "", keyMark: pairs[$0].key.mark, value: pairs[$0].value) }
    }

    mutating func keep(_ position: Int, code: KeyCode) {
        kept.append(position)
        codes.append(code)
    }

    func index(of key: String, code: KeyCode) -> Int? {
        var i = 0
        while i < codes.count {
            if codes[i] == code && (code.count <= 16 || pairs[kept[i]].key.scalar == key) { return i }
            i += 1
        }
        return nil
    }

    /// Where the `i`th kept key is written.
    func keyMark(at i: Int) -> Mark { pairs[kept[i]].key.mark }

    /// The value whose key is `key`.
    public subscript(key: String) -> YAMLNode? {
        index(of: key, code: KeyCode(key)).map { pairs[kept[$0]].value }
    }

    /// Where the key `key` is written.
    public func keyMark(_ key: String) -> Mark? {
        index(of: key, code: KeyCode(key)).map(keyMark(at:))
    }
}

/// Reads typed values out of YAML nodes, recording one diagnostic for each value of the wrong shape.
/// Every decoder goes through it, so every error carries the node's own line and column.
public struct NodeReader: Sendable {
    /// Where diagnostics go.
    public var sink: DiagnosticSink

    /// Creates a reader that reports into `sink`.
    public init(sink: DiagnosticSink) {
        self.sink = sink
    }

    /// A short description of what a node holds, for "found …" in messages.
    public static func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias(let name): return "the alias *\(name)"
        case .scalar(let text, let style):
            switch ScalarValue(text, style: style) {
            case .null: return "nothing (an empty value)"
            case .bool(let b): return "the boolean \(b)"
            case .int, .float: return "the number \(text)"
            case .string:
                let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                return "the text '\(shown)'"
            }
        }
    }

    /// The mark of the character `offset` scalars into a one-line scalar (quotes skipped).
    public static func mark(in node: YAMLNode, offset: Int) -> Mark {
        switch node.scalarStyle {
        case .plain?: return node.mark.advanced(by: offset)
        case .singleQuoted?, .doubleQuoted?:
            return node.endMark.line == node.mark.line ? node.mark.advanced(by: offset + 1) : node.mark
        default: return node.mark
        }
    }

    /// The pairs of a mapping by key, after checking that every key is text, known (when `allowed` is
    /// given) and unique. The first of duplicate keys is kept.
    public mutating func fields(_ node: YAMLNode, what: String, allowed: KeySet?) -> FieldMap? {
        guard let pairs = node.mapping else {
            sink.error(Messages.notAMapping(what, found: Self.describe(node)), at: node.mark)
            return nil
        }
        var map = FieldMap(pairs)
        for position in pairs.indices {
            guard let key = pairs[position].key.scalar else {
                sink.error(Messages.nonTextKey, at: pairs[position].key.mark)
                continue
            }
            let code = KeyCode(key)
            if let first = map.index(of: key, code: code) {
                sink.error(
                    Messages.duplicateKey(key), at: pairs[position].key.mark,
                    notes: [Diagnostic.Note(mark: map.keyMark(at: first), message: Messages.firstDefined(key))])
                continue
            }
            map.keep(position, code: code)
            if let allowed, !allowed.contains(key, code: code) {
                sink.error(Messages.unknownKey(key, in: what, allowed: allowed.names), at: pairs[position].key.mark)
            }
        }
        return map
    }

    /// A text value. Numbers are refused (quote them); plain YAML 1.1 boolean words get a warning.
    public mutating func text(_ node: YAMLNode, field: String, allowEmpty: Bool = false) -> String? {
        guard case .scalar(let text, let style) = node.content else {
            sink.error(Messages.wrongType(field, expected: "text", found: Self.describe(node)), at: node.mark)
            return nil
        }
        switch ScalarValue(text, style: style) {
        case .string(let s):
            if s.isEmpty && !allowEmpty {
                sink.error(Messages.emptyText(field), at: node.mark)
                return nil
            }
            if style == .plain, ScalarValue.isCommonYAML11Boolean(s) {
                sink.warning(Messages.yaml11Ambiguous(field, s), at: node.mark)
            }
            return s
        case .null:
            sink.error(Messages.emptyText(field), at: node.mark)
            return nil
        default:
            sink.error(Messages.wrongType(field, expected: "text (quote it: \"\(text)\")", found: Self.describe(node)), at: node.mark)
            return nil
        }
    }

    /// `true` or `false`; `yes`/`no`/`on`/`off` get an error that says what to write.
    public mutating func bool(_ node: YAMLNode, field: String) -> Bool? {
        if case .scalar(let text, let style) = node.content {
            if case .bool(let b) = ScalarValue(text, style: style) { return b }
            if style == .plain, ScalarValue.isYAML11Boolean(text) {
                sink.error(Messages.yaml11Boolean(field, text), at: node.mark)
                return nil
            }
        }
        sink.error(Messages.wrongType(field, expected: "true or false", found: Self.describe(node)), at: node.mark)
        return nil
    }

    /// An integer within `range`.
    public mutating func int(_ node: YAMLNode, field: String, range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let text, let style) = node.content, case .int(let value) = ScalarValue(text, style: style) else {
            sink.error(Messages.wrongType(field, expected: "a whole number", found: Self.describe(node)), at: node.mark)
            return nil
        }
        guard range.contains(value) else {
            sink.error(Messages.outOfRange(field, value: text, range: "\(range.lowerBound)...\(range.upperBound)"), at: node.mark)
            return nil
        }
        return value
    }

    /// A list of non-empty, unique texts; with `allowSingle`, one text stands for a list of one.
    public mutating func textList(_ node: YAMLNode, field: String, allowSingle: Bool = false, allowEmptyList: Bool = false) -> [String]? {
        if allowSingle, node.scalar != nil {
            return text(node, field: field).map { [$0] }
        }
        guard let items = node.sequence else {
            sink.error(Messages.wrongType(field, expected: "a list of text", found: Self.describe(node)), at: node.mark)
            return nil
        }
        if items.isEmpty && !allowEmptyList {
            sink.error(Messages.emptyList(field), at: node.mark)
            return nil
        }
        var out: [String] = []
        out.reserveCapacity(items.count)
        var ok = true
        for item in items {
            guard let value = text(item, field: field) else {
                ok = false
                continue
            }
            if out.contains(value) {
                sink.error(Messages.duplicateItem(field, value), at: item.mark)
                ok = false
            }
            out.append(value)
        }
        return ok ? out : nil
    }

    /// One of an enumeration's raw values.
    public mutating func choice<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, field: String, as: E.Type) -> E? where E.RawValue == String {
        guard let value = text(node, field: field) else { return nil }
        guard let result = E(rawValue: value) else {
            sink.error(Messages.badEnum(field, value, allowed: E.allCases.map(\.rawValue)), at: node.mark)
            return nil
        }
        return result
    }

    /// A value parsed from text by `parse`, with its error placed inside the scalar.
    public mutating func parsed<T>(_ node: YAMLNode, field: String, _ parse: (String) -> Result<T, FieldError>) -> T? {
        guard let value = text(node, field: field) else { return nil }
        switch parse(value) {
        case .success(let result): return result
        case .failure(let error):
            sink.error("'\(field)': \(error.message)", at: Self.mark(in: node, offset: error.offset))
            return nil
        }
    }

    /// A duration such as `1h30m`.
    public mutating func duration(_ node: YAMLNode, field: String) -> TimeSpan? {
        if case .scalar(let text, let style) = node.content, case .int = ScalarValue(text, style: style) {
            sink.error(Messages.durationWithoutUnit(field, text), at: node.mark)
            return nil
        }
        return parsed(node, field: field, TimeSpan.parse)
    }

    /// Any value, as JSON-like data: plain scalars typed by YAML 1.2, quoted ones text. The field's
    /// name (`params.layers[2]`) is built only for a message.
    public mutating func paramValue(_ node: YAMLNode, field: @autoclosure () -> String) -> ParamValue? {
        switch node.content {
        case .alias:
            return nil
        case .scalar(let text, let style):
            if style == .plain, ScalarValue.isCommonYAML11Boolean(text) {
                sink.warning(Messages.yaml11Ambiguous(field(), text), at: node.mark)
            }
            switch ScalarValue(text, style: style) {
            case .null: return .null
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let d):
                guard d.isFinite else {
                    sink.error(Messages.wrongType(field(), expected: "a finite number", found: Self.describe(node)), at: node.mark)
                    return nil
                }
                return .float(d)
            case .string(let s): return .string(s)
            }
        case .sequence(let items):
            var out: [ParamValue] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                guard let v = paramValue(item, field: "\(field())[\(i)]") else { return nil }
                out.append(v)
            }
            return .list(out)
        case .mapping(let pairs):
            var out: [(String, ParamValue)] = []
            out.reserveCapacity(pairs.count)
            for pair in pairs {
                guard let key = pair.key.scalar else {
                    sink.error(Messages.nonTextKey, at: pair.key.mark)
                    return nil
                }
                // Params mappings hold a handful of keys: a scan of those before beats hashing. Every
                // pair before this one was appended (any other outcome returns), so positions match.
                if let first = out.firstIndex(where: { $0.0 == key }) {
                    sink.error(
                        Messages.duplicateKey(key), at: pair.key.mark,
                        notes: [Diagnostic.Note(mark: pairs[first].key.mark, message: Messages.firstDefined(key))])
                    return nil
                }
                guard let v = paramValue(pair.value, field: "\(field()).\(key)") else { return nil }
                out.append((key, v))
            }
            return .map(out)
        }
    }
}
