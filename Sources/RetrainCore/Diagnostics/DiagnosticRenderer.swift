import RetrainYAML

/// Renders diagnostics as `path:line:col: error: message`, the source line, and a caret.
public struct DiagnosticRenderer: Sendable {
    /// Whether to use ANSI colours (only on a terminal, never with NO_COLOR; decided by the caller).
    public var colour: Bool

    /// Creates a renderer.
    public init(colour: Bool = false) {
        self.colour = colour
    }

    /// The full text of one diagnostic, ending in a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = header(file: diagnostic.file, mark: diagnostic.position, severity: diagnostic.severity, message: diagnostic.message)
        if let mark = diagnostic.mark, let line = diagnostic.sourceLine {
            out += excerpt(line: line, mark: mark)
        }
        for note in diagnostic.notes {
            out += header(file: diagnostic.file, mark: note.mark, severity: .note, message: note.message)
            if let line = note.sourceLine { out += excerpt(line: line, mark: note.mark) }
        }
        return out
    }

    private func header(file: String, mark: Mark?, severity: Diagnostic.Severity, message: String) -> String {
        let location = mark.map { "\(file):\($0.line):\($0.column):" } ?? "\(file):"
        let label = "\(severity.rawValue):"
        guard colour else { return "\(location) \(label) \(message)\n" }
        let code =
            switch severity {
            case .error: "1;31"
            case .warning: "1;33"
            case .note: "1;36"
            }
        return "\u{1B}[1m\(location)\u{1B}[0m \u{1B}[\(code)m\(label)\u{1B}[0m \(message)\n"
    }

    /// The source line and a caret under `mark.column`; tabs are kept so the caret lines up.
    private func excerpt(line: String, mark: Mark) -> String {
        let gutter = String(mark.line)
        let pad = String(repeating: " ", count: gutter.count)
        var caret = ""
        var column = 1
        for scalar in line.unicodeScalars {
            if column >= mark.column { break }
            caret.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
            column += 1
        }
        if column < mark.column { caret += String(repeating: " ", count: mark.column - column) }
        var printable = String(
            String.UnicodeScalarView(
                line.unicodeScalars.prefix(200).map {
                    $0 == "\t" || $0.value >= 0x20 && $0.value != 0x7F ? $0 : "\u{FFFD}"
                }))
        if line.unicodeScalars.count > 200 { printable += "…" }
        let marker = colour ? "\u{1B}[1;32m^\u{1B}[0m" : "^"
        return " \(gutter) | \(printable)\n \(pad) | \(caret)\(marker)\n"
    }
}
