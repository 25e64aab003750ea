/// Why a command stops: what went wrong and how to fix it. The entry point prints it once, as
/// `retrain COMMAND: message`, and exits with `exitCode`; nothing below it prints errors.
public struct CommandError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// Any other error, said as itself (the state's, a write's: each says where and why).
    public init(_ error: any Error) {
        self = (error as? CommandError) ?? CommandError("\(error)")
    }

    public var description: String { message }

    /// The line printed for it by command `command`: `retrain COMMAND: message`, or the message
    /// alone when it is a located diagnostic already (`path:line:column: error: …`), which editors
    /// and CI problem matchers read from the start of the line.
    public func line(command: String) -> String {
        isLocated ? message : "retrain \(command): \(message)"
    }

    /// Whether the message starts `path:line:column: error:` (or `warning:`).
    var isLocated: Bool {
        let parts = message.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty, !parts[0].contains(" "), Int(parts[1]) != nil, Int(parts[2]) != nil else { return false }
        return parts[3] == " error" || parts[3] == " warning"
    }

    /// `body`, with any error it throws made a `CommandError`.
    public static func from<T>(_ body: () throws -> T) throws(CommandError) -> T {
        do { return try body() } catch { throw CommandError(error) }
    }
}
