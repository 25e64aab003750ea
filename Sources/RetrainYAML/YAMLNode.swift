/// How a scalar was written; plain scalars are the only ones that get a type other than string.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A node of a YAML document, with where it starts in the source.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
        /// An alias is kept as a leaf and never expanded, so alias bombs cost nothing.
        case alias(String)
    }

    /// The node's content.
    public var content: Content
    /// Where the node starts.
    public var mark: Mark
    /// Where the node ends (just past its last character).
    public var endMark: Mark
    /// True for `{…}` and `[…]` collections.
    public var isFlow: Bool

    /// Creates a node.
    public init(_ content: Content, mark: Mark, endMark: Mark, isFlow: Bool = false) {
        self.content = content
        self.mark = mark
        self.endMark = endMark
        self.isFlow = isFlow
    }

    /// The scalar's text, or nil for collections and aliases.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// The scalar's style, or nil for collections and aliases.
    public var scalarStyle: ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }

    /// The mapping's pairs, or nil.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The sequence's items, or nil.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }
}

/// A key and its value in a mapping, in source order.
public struct YAMLPair: Sendable {
    /// The key node.
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates a pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
