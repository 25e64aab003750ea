import Glibc

/// HTML made by code that escaped every value it put in (`Dashboard.head`, `SchedulePage.params`):
/// the one kind of `String` a page's buffer takes as it is. `Markup(escaped:)` is the promise, and
/// where one is made is where to look.
struct Markup {
    let text: String

    init(escaped text: String) { self.text = text }
}

/// The HTML pieces of `UTF8Buffer` (schedule pages are built in one). A page takes literals
/// (`raw`), text (`html`, escaped), numbers, other buffers and `Markup`; a `String` that is none of
/// these does not compile.
extension UTF8Buffer {
    /// Markup built elsewhere.
    mutating func raw(_ markup: Markup) {
        verbatim(markup.text)
    }

    /// Text for element content or a quoted attribute value: `& < > " '` escaped.
    mutating func html(_ text: String) {
        escaped(text, Self.htmlEscape)
    }

    /// A run id without its schedule's prefix (`ReportText.runName`), escaped as `html` does,
    /// without making the shortened string.
    mutating func runName(_ id: String, schedule: String) {
        var (id, schedule) = (id, schedule)
        id.withUTF8 { run in
            let cut = schedule.withUTF8 { prefix in
                run.count > prefix.count && run[prefix.count] == UInt8(ascii: "@")
                    && (prefix.isEmpty || memcmp(run.baseAddress!, prefix.baseAddress!, prefix.count) == 0) ? prefix.count : 0
            }
            escaped(UnsafeBufferPointer(rebasing: run[cut...]), Self.htmlEscape)
        }
    }

    private static func htmlEscape(_ byte: UInt8) -> StaticString? {
        switch byte {
        case 0x26: "&amp;"
        case 0x3C: "&lt;"
        case 0x3E: "&gt;"
        case 0x22: "&quot;"
        case 0x27: "&#39;"
        default: nil
        }
    }

    /// `value` to one decimal, without a trailing `.0` (`Dashboard.fixed`'s text: chart coordinates).
    mutating func fixed(_ value: Double) {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e15 else { return verbatim(Dashboard.fixed(value)) }  // digits
        let n = Int(tenths)
        if n % 10 == 0 { return int(n / 10) }
        if n < 0 { byte(UInt8(ascii: "-")) }
        int(Int(n.magnitude / 10))
        byte(UInt8(ascii: "."))
        byte(UInt8(ascii: "0") + UInt8(n.magnitude % 10))
    }

    /// A path segment for a link: run and schedule ids are plain file names, but `@`, `%`, `#` and
    /// `?` would mislead a browser, so all but letters, digits and `-._~` are percent-encoded.
    mutating func segment(_ segment: String) {
        func plain(_ b: UInt8) -> Bool {
            switch b {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: true
            default: false
            }
        }
        let digits: StaticString = "0123456789ABCDEF"
        var segment = segment
        // Plain stretches go in at once (a page links to each run three times).
        segment.withUTF8 { utf8 in
            var from = 0
            for (at, b) in utf8.enumerated() where !plain(b) {
                append(UnsafeBufferPointer(rebasing: utf8[from..<at]))
                byte(UInt8(ascii: "%"))
                byte(digits.utf8Start[Int(b >> 4)])
                byte(digits.utf8Start[Int(b & 15)])
                from = at + 1
            }
            append(UnsafeBufferPointer(rebasing: utf8[from...]))
        }
    }
}
