/// Text built as UTF-8 bytes in one buffer, for the files retrain writes for every schedule at once
/// (schedule pages, the overview's rows, metrics.prom): literal text is copied in as it is, numbers
/// are written digit by digit, and what needs escaping is escaped by the caller's format (`html`,
/// `labelValue`). Joining such files from short `String`s spent most of their time in appending:
/// 400 µs a schedule page at a year of weekly runs.
struct UTF8Buffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Literal text.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A number as JSON and the pages write it (`JSONValue.format`: digits, sign, point, exponent).
    mutating func number(_ value: Double) {
        var text = JSONValue.format(value)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A number shortened for reading (`JSONValue.short`).
    mutating func short(_ value: Double) {
        var text = JSONValue.short(value)
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Text whose bytes go in as they are: for what is not HTML text (metrics.prom's names and
    /// numbers, a JSON string already made safe for `<script>`, `Markup`). The one way a `String`
    /// goes in unescaped, so it is named for what it does; page code writes text with `html`.
    mutating func verbatim(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Text built in another buffer.
    mutating func raw(_ other: UTF8Buffer) {
        bytes.append(contentsOf: other.bytes)
    }

    /// Bytes as they are.
    mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
    }

    mutating func byte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// `text` with each byte `escape` names replaced by its escape.
    mutating func escaped(_ text: String, _ escape: (UInt8) -> StaticString?) {
        var text = text
        text.withUTF8 { escaped($0, escape) }
    }

    /// UTF-8 bytes with each byte `escape` names replaced by its escape.
    mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>, _ escape: (UInt8) -> StaticString?) {
        var from = 0
        for (at, byte) in utf8.enumerated() {
            guard let replacement = escape(byte) else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from..<at]))
            raw(replacement)
            from = at + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from...]))
    }

    /// How much of an instant `instant` writes, in UTC.
    enum InstantForm {
        /// `2026-12-01T01:00:00Z` (`Instant.description`).
        case iso
        /// `2026-12-01 01:00` (`ReportText.time`).
        case minute
        /// `2026-12-01` (`ReportText.date`).
        case date
    }

    /// An instant written digit by digit (a schedule page writes three for each run; through
    /// `description` and a cut, each cost three strings).
    mutating func instant(_ instant: Instant, _ form: InstantForm) {
        let t = instant.utc
        guard (0...9999).contains(t.year) else {
            let text = instant.description
            switch form {
            case .iso: return verbatim(text)
            case .minute: return verbatim(ReportText.time(text))
            case .date: return verbatim(ReportText.date(instant))
            }
        }
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(t.year, 4)
        byte(UInt8(ascii: "-"))
        digits(t.month, 2)
        byte(UInt8(ascii: "-"))
        digits(t.day, 2)
        if form == .date { return }
        byte(form == .iso ? UInt8(ascii: "T") : UInt8(ascii: " "))
        digits(t.hour, 2)
        byte(UInt8(ascii: ":"))
        digits(t.minute, 2)
        if form == .minute { return }
        byte(UInt8(ascii: ":"))
        digits(t.second, 2)
        byte(UInt8(ascii: "Z"))
    }

    /// A whole number in decimal.
    mutating func int(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[at...])
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
