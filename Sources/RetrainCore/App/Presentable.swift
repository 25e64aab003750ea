/// A command's result, in each form `--format` can ask for. The command line picks one form in one
/// place (`Output.render`); a result says only what each form looks like.
public protocol Presentable {
    /// What `--format json` prints: an `Encodable` model of the result, written by
    /// `JSONValueEncoder` (keys in declaration order, absent values null) and printed by `JSONValue`.
    associatedtype Payload: Encodable
    var payload: Payload { get }
    /// What a terminal shows (`--format table`, or `text`).
    func table() -> String
    /// `table()` as UTF-8 bytes, for results large enough that the String is worth skipping.
    func tableBytes() -> [UInt8]
    /// `--format markdown`, for results that have it (the table otherwise).
    func markdown() -> String
    /// `--format github`: GitHub Actions workflow commands, for results that have them (the table
    /// otherwise).
    func github() -> String
}

extension Presentable {
    public func tableBytes() -> [UInt8] { Array(table().utf8) }
    public func markdown() -> String { table() }
    public func github() -> String { table() }

    /// `payload` as a JSON value.
    public func json() throws -> JSONValue { try JSONValueEncoder.encode(payload) }
}

/// An object whose keys are data (labels, metrics by name), in the order given.
public struct KeyedValues<Value: Encodable>: Encodable {
    public var pairs: [(key: String, value: Value)]

    public init(_ pairs: [(key: String, value: Value)]) { self.pairs = pairs }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in pairs { try container.encode(value, forKey: Key(key)) }
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// A line of a command's log with its level, said by whoever wrote it (not guessed from its
/// text): the text renderer prefixes a warning with `warning: `, `--log-format json` puts the level
/// in its own key.
public struct LogLine: Sendable, Equatable {
    public enum Level: String, Sendable {
        case info, warning, error
    }

    public var level: Level
    /// Without a level prefix.
    public var text: String

    public static func info(_ text: String) -> LogLine { LogLine(level: .info, text: text) }
    public static func warning(_ text: String) -> LogLine { LogLine(level: .warning, text: text) }
    public static func error(_ text: String) -> LogLine { LogLine(level: .error, text: text) }

    /// As a text log shows it: `warning: …` for a warning, the text alone otherwise.
    public var rendered: String { level == .warning ? "warning: " + text : text }
}
