/// A command's result, in each form `--format` can ask for. The command line picks one form in one
/// place (`Output.render`); a result says only what each form looks like.
public protocol Presentable {
    /// What a terminal shows (`--format table`, or `text`).
    func table() -> String
    /// `table()` as UTF-8 bytes, for results large enough that the String is worth skipping.
    func tableBytes() -> [UInt8]
    /// `--format json`.
    func json() -> JSONValue
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
}
