public import RetrainYAML

/// One problem found in one file: where, how bad, and what to do about it.
public struct Diagnostic: Sendable, Hashable {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error, warning, note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    /// A second position that explains the first ("first defined here").
    public struct Note: Sendable, Hashable {
        /// Where.
        public var mark: Mark
        /// What is there.
        public var message: String
        /// The source line at `mark`, for the caret.
        public var sourceLine: String?

        /// Creates a note.
        public init(mark: Mark, message: String, sourceLine: String? = nil) {
            self.mark = mark
            self.message = message
            self.sourceLine = sourceLine
        }
    }

    /// How bad it is.
    public var severity: Severity
    /// The file's path as the user gave it.
    public var file: String
    /// 1-based position, when the problem has one.
    public var mark: Mark?
    /// Where it is shown: `mark`, or 1:1 for a problem of the whole file (an empty or unreadable
    /// file, a bad file name), so that editors' and CI's problem matchers place every one.
    public var position: Mark { mark ?? Mark(line: 1, column: 1) }
    /// What is wrong and how to fix it; lower-case, from `Messages`.
    public var message: String
    /// Related positions in the same file.
    public var notes: [Note]
    /// The source line at `mark`, filled in by `SourceFile.attachLines`.
    public var sourceLine: String?

    /// Creates a diagnostic.
    public init(_ severity: Severity, file: String, mark: Mark?, message: String, notes: [Note] = []) {
        self.severity = severity
        self.file = file
        self.mark = mark
        self.message = message
        self.notes = notes
    }

    /// Sorts by file, line, column, then severity and message: the order every output uses.
    public static func sortKey(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if a.file != b.file { return codePointLess(a.file, b.file) }
        let am = a.mark ?? Mark(line: 0, column: 0)
        let bm = b.mark ?? Mark(line: 0, column: 0)
        if am != bm { return am < bm }
        if a.severity != b.severity { return a.severity < b.severity }
        return a.message < b.message
    }
}

/// Collects the diagnostics of one file while it is decoded.
public struct DiagnosticSink: Sendable {
    /// The file every diagnostic names.
    public let file: String
    /// What was found, in the order found.
    public private(set) var items: [Diagnostic] = []

    /// Creates an empty sink for `file`.
    public init(file: String) {
        self.file = file
    }

    /// True when an error (not a warning) was recorded.
    public var hasErrors: Bool { items.contains { $0.severity == .error } }

    /// Records an error.
    public mutating func error(_ message: String, at mark: Mark?, notes: [Diagnostic.Note] = []) {
        items.append(Diagnostic(.error, file: file, mark: mark, message: message, notes: notes))
    }

    /// Records a warning.
    public mutating func warning(_ message: String, at mark: Mark?) {
        items.append(Diagnostic(.warning, file: file, mark: mark, message: message))
    }
}
