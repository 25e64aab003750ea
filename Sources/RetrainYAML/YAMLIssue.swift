/// Something wrong with a YAML source before its meaning is looked at.
public struct YAMLIssue: Sendable, Hashable {
    /// What is wrong.
    public enum Kind: Sendable, Hashable {
        /// The file is larger than `YAMLLimits.maxBytes`.
        case tooLarge(bytes: Int, limit: Int)
        /// The file holds NUL bytes: it is not text.
        case binary
        /// Bytes that are not UTF-8 (or UTF-16 with a BOM).
        case invalidEncoding(problem: String)
        /// libyaml's scanner or parser gave up here.
        case syntax(problem: String, context: String?)
        /// A tab in the indentation of a line.
        case tabIndentation
        /// `&name` on a node.
        case anchor(String)
        /// `*name`.
        case alias(String)
        /// `!tag` or `!!tag` on a node.
        case tag(String)
        /// Collections nested deeper than the limit.
        case tooDeep(limit: Int)
        /// More nodes than the limit.
        case tooManyNodes(limit: Int)
        /// A second `---` document.
        case multipleDocuments
    }

    /// What is wrong.
    public var kind: Kind
    /// Where, when known.
    public var mark: Mark?
    /// A second position that explains the first (libyaml's context mark), when known.
    public var contextMark: Mark?

    /// Creates an issue.
    public init(_ kind: Kind, at mark: Mark?, context: Mark? = nil) {
        self.kind = kind
        self.mark = mark
        self.contextMark = context
    }
}

/// Bounds that keep hostile input cheap: each is checked while reading, before memory grows.
public struct YAMLLimits: Sendable {
    /// Largest source accepted, in bytes (schedules are about 1 KB).
    public var maxBytes: Int
    /// Deepest nesting of mappings and sequences.
    public var maxDepth: Int
    /// Most nodes in one document.
    public var maxNodes: Int

    /// Creates limits.
    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 32, maxNodes: Int = 20_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// The limits used for schedule files and `retrain.yaml`.
    public static let standard = YAMLLimits()
}

/// A parsed source: its root node (nil when empty or unreadable) and the issues found.
public struct YAMLDocument: Sendable {
    /// The document's root, nil for an empty file or when parsing stopped early.
    public var root: YAMLNode?
    /// Every issue, in source order.
    public var issues: [YAMLIssue]
}
