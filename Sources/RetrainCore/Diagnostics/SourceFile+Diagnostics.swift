extension SourceFile {
    /// Fills in each diagnostic's source line (and its notes') from the file's bytes.
    public static func attachLines(_ diagnostics: inout [Diagnostic], bytes: [UInt8]) {
        let wanted = Set(diagnostics.flatMap { d in [d.mark?.line].compactMap { $0 } + d.notes.map(\.mark.line) })
        guard !wanted.isEmpty else { return }
        var lines: [Int: String] = [:]
        var line = 1
        var start = 0
        for i in 0...bytes.count {
            if i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
                if wanted.contains(line) {
                    var end = i
                    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    lines[line] = String(decoding: bytes[start..<end], as: UTF8.self)
                }
                line += 1
                start = i + 1
                if line > wanted.max()! { break }
            }
        }
        for i in diagnostics.indices {
            if let l = diagnostics[i].mark?.line { diagnostics[i].sourceLine = lines[l] }
            for j in diagnostics[i].notes.indices { diagnostics[i].notes[j].sourceLine = lines[diagnostics[i].notes[j].mark.line] }
        }
    }
}
