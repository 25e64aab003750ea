/// Why a scalar's text does not parse, and at which character of it.
public struct FieldError: Error, Sendable, Equatable {
    /// What is wrong and how to fix it.
    public var message: String
    /// 0-based offset in Unicode scalars from the start of the scalar's text.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, at offset: Int = 0) {
        self.message = message
        self.offset = offset
    }
}
