/// `retrain validate`: a validation report's summary (`text`; the diagnostics themselves go to
/// stderr, rendered for a terminal), as JSON, or as GitHub workflow commands.
public struct ValidationView: Presentable {
    public let report: ValidationReport

    public init(_ report: ValidationReport) { self.report = report }

    public func table() -> String { Self.summary(report) + "\n" }
    public var payload: Payload { Payload(report) }
    public func github() -> String { Self.github(report) }

    public static func summary(_ report: ValidationReport) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "checked \(plural(report.fileCount, "file")): \(plural(report.errorCount, "error")), \(plural(report.warningCount, "warning"))"
    }

    /// `validate --format json`: the counts, then each diagnostic with its notes.
    public struct Payload: Encodable {
        public var files: Int
        public var errors: Int
        public var warnings: Int
        public var diagnostics: [Problem]

        init(_ report: ValidationReport) {
            (files, errors, warnings) = (report.fileCount, report.errorCount, report.warningCount)
            diagnostics = report.diagnostics.map { d in
                Problem(
                    file: d.file, line: d.position.line, column: d.position.column, severity: d.severity.rawValue, message: d.message,
                    notes: d.notes.map { Problem.Note(line: $0.mark.line, column: $0.mark.column, message: $0.message) })
            }
        }

        public struct Problem: Encodable {
            public var file: String
            public var line: Int
            public var column: Int
            public var severity: String
            public var message: String
            public var notes: [Note]

            public struct Note: Encodable {
                public var line: Int
                public var column: Int
                public var message: String
            }
        }
    }

    /// GitHub workflow commands: errors before warnings (GitHub shows 10 annotations a step), then a summary.
    public static func github(_ report: ValidationReport) -> String {
        var out = ""
        let ordered = report.diagnostics.filter { $0.severity == .error } + report.diagnostics.filter { $0.severity != .error }
        for d in ordered {
            let level = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var properties = "file=\(escapeProperty(d.file))"
            properties += ",line=\(d.position.line),col=\(d.position.column)"
            var message = d.message
            for note in d.notes { message += "\n\(d.file):\(note.mark.line):\(note.mark.column): \(note.message)" }
            out += "::\(level) \(properties),title=retrain validate::\(escapeData(message))\n"
        }
        out += summary(report) + "\n"
        return out
    }

    static func escapeData(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.append(c)
            }
        }
        return out
    }

    static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s) {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.append(c)
            }
        }
        return out
    }
}
