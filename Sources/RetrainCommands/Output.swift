import ArgumentParser
import Glibc
import RetrainCore

/// Writing to stdout and stderr, and whether colour is wanted there.
enum Output {
    static func stdout(_ text: String) {
        var text = text
        text.withUTF8 { writeAll(1, $0) }
    }

    /// Bytes already made (a large table need not become a String first).
    static func stdout(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeAll(1, $0) }
    }

    static func stderr(_ text: String) {
        var text = text
        text.withUTF8 { writeAll(2, $0) }
    }

    /// One write(2) loop per call: nothing buffered, so stdout and stderr interleave as written.
    private static func writeAll(_ fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Colour only on a terminal, never with NO_COLOR set, never for TERM=dumb.
    static func colour(forStderr: Bool) -> Bool {
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isatty(forStderr ? 2 : 1) == 1
    }

    /// Columns padded to their widest cell (`TextTable`).
    static func table(_ rows: [[String]]) -> String { TextTable.render(rows) }

    /// `table` as UTF-8 bytes.
    static func tableBytes(_ rows: [[String]]) -> [UInt8] { TextTable.bytes(rows) }
}

/// `--format` values: one set for every command, each command accepting those its results have.
enum OutputFormat: String, CaseIterable, Sendable {
    case table, text, json, markdown, github

    /// `--format`'s parser for a command whose results have the forms `allowed`.
    static func only(_ allowed: OutputFormat...) -> @Sendable (String) throws -> OutputFormat {
        { text in
            guard let format = OutputFormat(rawValue: text), allowed.contains(format) else {
                let names = allowed.map(\.rawValue)
                throw ValidationError("'\(text)' is not a format here; use \(names.dropLast().joined(separator: ", ")) or \(names.last!)")
            }
            return format
        }
    }
}

extension Output {
    /// Prints `result` in `format`: the one place formats are told apart. `compact` prints JSON on
    /// one line (a stream of results, one per line).
    static func render(_ result: some Presentable, as format: OutputFormat, compact: Bool = false) throws {
        switch format {
        case .json:
            let json = try CommandError.from { try result.json() }
            stdout(compact ? json.compact + "\n" : json.pretty)
        case .markdown: stdout(result.markdown())
        case .github: stdout(result.github())
        case .table, .text: stdout(bytes: result.tableBytes())
        }
    }

    /// Schedule and settings diagnostics, on stderr (coloured on a terminal): the one place they are
    /// rendered for a person.
    static func diagnostics(_ list: [Diagnostic]) {
        let renderer = DiagnosticRenderer(colour: colour(forStderr: true))
        stderr(list.map(renderer.render).joined())
    }

    /// A line for the log, or an error: `retrain COMMAND: …` (`CommandError.line`, bare when the
    /// message is a located diagnostic already).
    static func problem(_ command: String, _ message: String) {
        stderr(CommandError(message).line(command: command) + "\n")
    }
}
