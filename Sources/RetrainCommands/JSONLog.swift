import ArgumentParser
import RetrainCore

/// `reconcile --log-format json`: every line reconcile writes to stderr as one JSON object, for log
/// shippers. The keys are stable and in this order: `time` (the instant, UTC), `level` (`info`,
/// `warning`, `error`), `event` (`pass`, `waiting`, `log`, `diagnostic`, and `error` for what stopped
/// the command), `message`, then the
/// event's own: `actions` and `failures` for a pass, `runs` for waiting, `file`, `line` and `column`
/// for a diagnostic.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum JSONLog {
    static func write(time: Instant, level: String, event: String, message: String, fields: [JSONValue.Member] = []) {
        let object = JSONValue.object(
            [
                .init("time", .string(time.description)), .init("level", .string(level)), .init("event", .string(event)),
                .init("message", .string(message)),
            ]
                + fields)
        Output.stderr(object.compact + "\n")
    }

    static func diagnostics(_ list: [Diagnostic], time: Instant) {
        for d in list {
            write(
                time: time, level: d.severity == .error ? "error" : d.severity == .warning ? "warning" : "info", event: "diagnostic",
                message: d.message,
                fields: [.init("file", .string(d.file)), .init("line", .int(d.position.line)), .init("column", .int(d.position.column))])
        }
    }
}
