import CYAML
import Glibc

/// Reads one YAML document from bytes with libyaml's event API into a `YAMLNode` tree.
///
/// Strict by construction: anchors, aliases and tags are reported (aliases are never expanded),
/// tabs in indentation are reported, a second document stops the read, and the limits stop
/// oversized, binary or deeply nested input before it costs memory or time.
public enum YAMLParser {
    /// Parses `bytes` into at most one document.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: YAMLLimits = .standard) -> YAMLDocument {
        if bytes.count > limits.maxBytes {
            return YAMLDocument(root: nil, issues: [YAMLIssue(.tooLarge(bytes: bytes.count, limit: limits.maxBytes), at: nil)])
        }
        if let nul = find(0, in: bytes), !looksLikeUTF16(bytes) {
            return YAMLDocument(root: nil, issues: [YAMLIssue(.binary, at: Mark(ofByte: nul, in: bytes))])
        }
        var issues = tabIndentation(in: bytes)
        var builder = TreeBuilder(limits: limits)
        builder.run(bytes, issues: &issues)
        if !issues.isEmpty {
            issues.sort { ($0.mark ?? Mark(line: 0, column: 0)) < ($1.mark ?? Mark(line: 0, column: 0)) }
        }
        return YAMLDocument(root: builder.root, issues: issues)
    }

    /// Parses a byte array (convenience for tests and small inputs).
    public static func parse(_ bytes: [UInt8], limits: YAMLLimits = .standard) -> YAMLDocument {
        bytes.withUnsafeBufferPointer { parse($0, limits: limits) }
    }

    /// Parses a string.
    public static func parse(_ text: String, limits: YAMLLimits = .standard) -> YAMLDocument {
        parse(Array(text.utf8), limits: limits)
    }

    /// The first index of `byte`, by memchr: these whole-file scans run for every file.
    static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress, let hit = memchr(base, Int32(byte), bytes.count) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    private static func looksLikeUTF16(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    }

    /// A tab anywhere in a line's leading whitespace. Comment-only lines are let through.
    static func tabIndentation(in bytes: UnsafeBufferPointer<UInt8>) -> [YAMLIssue] {
        guard find(UInt8(ascii: "\t"), in: bytes) != nil else { return [] }
        var issues: [YAMLIssue] = []
        var line = 1
        var i = 0
        let n = bytes.count
        while i < n {
            var column = 1
            var tabColumn: Int?
            while i < n, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") {
                if bytes[i] == UInt8(ascii: "\t"), tabColumn == nil { tabColumn = column }
                column += 1
                i += 1
            }
            let rest = i < n ? bytes[i] : UInt8(ascii: "\n")
            if let tab = tabColumn, rest != UInt8(ascii: "\n"), rest != UInt8(ascii: "\r"), rest != UInt8(ascii: "#") {
                issues.append(YAMLIssue(.tabIndentation, at: Mark(line: line, column: tab)))
            }
            while i < n, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            i += 1
            line += 1
        }
        return issues
    }
}

/// The event loop: libyaml events onto a stack of open collections.
private struct TreeBuilder {
    let limits: YAMLLimits
    var root: YAMLNode?
    private var stack: [Frame] = []
    private var nodeCount = 0
    private var documents = 0

    /// An open collection; its finished children wait on `scratch` from `start` on, so each
    /// collection's array is allocated once, at its exact size, when it closes.
    private struct Frame {
        let isMapping: Bool
        let mark: Mark
        let flow: Bool
        let start: Int
    }

    /// Finished children of every open collection, innermost last. Optional so that closing a
    /// collection moves its children out (`take()`) instead of copying them and releasing the copies.
    private var scratch: [YAMLNode?] = []

    init(limits: YAMLLimits) {
        self.limits = limits
        scratch.reserveCapacity(64)
        stack.reserveCapacity(8)
    }

    mutating func run(_ bytes: UnsafeBufferPointer<UInt8>, issues: inout [YAMLIssue]) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        if let base = bytes.baseAddress {
            yaml_parser_set_input_string(&parser, base, bytes.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(&parser, &empty, 0)
        }
        let tabLines = Set(issues.compactMap { $0.kind == .tabIndentation ? $0.mark?.line : nil })
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                let issue = Self.error(of: parser, bytes: bytes)
                // A tab already reported on that line explains libyaml's complaint better.
                if let line = issue.mark?.line, tabLines.contains(line) || tabLines.contains(line - 1) { return }
                issues.append(issue)
                return
            }
            let keepGoing = handle(&event, issues: &issues)
            yaml_event_delete(&event)
            if !keepGoing { return }
        }
    }

    /// Handles one event; false stops the read.
    private mutating func handle(_ event: inout yaml_event_t, issues: inout [YAMLIssue]) -> Bool {
        let mark = Mark(libyamlLine: event.start_mark.line, column: event.start_mark.column)
        let end = Mark(libyamlLine: event.end_mark.line, column: event.end_mark.column)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return false
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                issues.append(YAMLIssue(.multipleDocuments, at: mark))
                return false
            }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            check(anchor: data.anchor, tag: data.tag, at: mark, issues: &issues)
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let style: ScalarStyle
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            return add(YAMLNode(.scalar(text, style), mark: mark, endMark: end), issues: &issues)
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            issues.append(YAMLIssue(.alias(name), at: mark))
            return add(YAMLNode(.alias(name), mark: mark, endMark: end), issues: &issues)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            check(anchor: data.anchor, tag: data.tag, at: mark, issues: &issues)
            return open(
                Frame(isMapping: true, mark: mark, flow: data.style == YAML_FLOW_MAPPING_STYLE, start: scratch.count), at: mark, issues: &issues)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            check(anchor: data.anchor, tag: data.tag, at: mark, issues: &issues)
            return open(
                Frame(isMapping: false, mark: mark, flow: data.style == YAML_FLOW_SEQUENCE_STYLE, start: scratch.count), at: mark, issues: &issues)
        case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            let content: YAMLNode.Content
            if frame.isMapping {
                var pairs: [YAMLPair] = []
                pairs.reserveCapacity((scratch.count - frame.start) / 2)
                var i = frame.start
                while i + 1 < scratch.count {
                    pairs.append(YAMLPair(key: scratch[i].take()!, value: scratch[i + 1].take()!))
                    i += 2
                }
                content = .mapping(pairs)
            } else {
                var items: [YAMLNode] = []
                items.reserveCapacity(scratch.count - frame.start)
                for i in frame.start..<scratch.count { items.append(scratch[i].take()!) }
                content = .sequence(items)
            }
            scratch.removeSubrange(frame.start...)
            return attach(YAMLNode(content, mark: frame.mark, endMark: end, isFlow: frame.flow))
        default:
            break
        }
        return true
    }

    private mutating func open(_ frame: Frame, at mark: Mark, issues: inout [YAMLIssue]) -> Bool {
        if stack.count >= limits.maxDepth {
            issues.append(YAMLIssue(.tooDeep(limit: limits.maxDepth), at: mark))
            return false
        }
        nodeCount += 1
        stack.append(frame)
        return true
    }

    private mutating func add(_ node: YAMLNode, issues: inout [YAMLIssue]) -> Bool {
        nodeCount += 1
        if nodeCount > limits.maxNodes {
            issues.append(YAMLIssue(.tooManyNodes(limit: limits.maxNodes), at: node.mark))
            return false
        }
        return attach(node)
    }

    private mutating func attach(_ node: YAMLNode) -> Bool {
        if stack.isEmpty {
            root = node
        } else {
            scratch.append(node)
        }
        return true
    }

    private func check(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?, at mark: Mark, issues: inout [YAMLIssue])
    {
        if let name = Self.string(anchor) { issues.append(YAMLIssue(.anchor(name), at: mark)) }
        if let tag = Self.string(tag) { issues.append(YAMLIssue(.tag(tag), at: mark)) }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    private static func error(of parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>) -> YAMLIssue {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            return YAMLIssue(.invalidEncoding(problem: problem), at: Mark(ofByte: parser.problem_offset, in: bytes))
        }
        let mark = Mark(libyamlLine: parser.problem_mark.line, column: parser.problem_mark.column)
        let context = parser.context.map { String(cString: $0) }
        let contextMark = context == nil ? nil : Mark(libyamlLine: parser.context_mark.line, column: parser.context_mark.column)
        return YAMLIssue(.syntax(problem: problem, context: context), at: mark, context: contextMark)
    }
}
