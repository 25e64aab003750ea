/// A position in a source file, 1-based in both line and column (columns count Unicode scalars).
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars from the start of the line.
    public var column: Int

    /// Creates a mark from 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Converts libyaml's 0-based mark; the only place in the project that does.
    init(libyamlLine line: Int, column: Int) {
        self.init(line: line + 1, column: column + 1)
    }

    /// The same mark moved `count` columns to the right (for positions inside a one-line scalar).
    public func advanced(by count: Int) -> Mark {
        Mark(line: line, column: column + count)
    }

    public static func < (a: Mark, b: Mark) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}
