/// An `Int` kept in a narrower integer, clamped on the way in: for values that are many and small,
/// such as every node's line and column, or every date's month and day, where the narrow storage keeps
/// the arrays of them small.
@propertyWrapper
public struct Narrow<Storage: FixedWidthInteger & Sendable>: Sendable, Hashable {
    @usableFromInline package var storage: Storage

    @inlinable public init(wrappedValue: Int) { storage = Storage(clamping: wrappedValue) }

    @inlinable public var wrappedValue: Int {
        get { Int(storage) }
        set { storage = Storage(clamping: newValue) }
    }
}

/// A position in a source file, 1-based in both line and column (columns count Unicode scalars).
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Stored narrow: every node carries two marks, and nodes are copied often while decoding.
    /// 1-based line.
    @Narrow<Int32> public var line: Int
    /// 1-based column, in Unicode scalars from the start of the line.
    @Narrow<Int32> public var column: Int

    /// Creates a mark from 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of byte `offset` in `bytes` (for any text format: YAML, and the state's JSON),
    /// counting columns in UTF-8 lead bytes.
    public init(ofByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var line = 1
        var column = 1
        for byte in bytes[..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        self.init(line: line, column: column)
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
