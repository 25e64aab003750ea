/// A page's markup, built as UTF-8 bytes in one buffer: literal markup is copied in as it is, and
/// text from schedules, ledgers and results goes through `text`, which escapes it. Schedule pages
/// are built this way because `report --all` writes 10,000 of them (43 KB each at a year of weekly
/// runs): joining them from short `String`s spent 400 µs a page in appending alone.
struct HTML {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Literal markup.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Markup made elsewhere (already escaped, or made only of characters that need none: run
    /// statuses, times, numbers).
    mutating func raw(_ markup: String) {
        var markup = markup
        markup.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Text for element content or a quoted attribute value: `& < > " '` escaped.
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            var from = 0
            for (at, byte) in utf8.enumerated() {
                let entity: StaticString
                switch byte {
                case 0x26: entity = "&amp;"
                case 0x3C: entity = "&lt;"
                case 0x3E: entity = "&gt;"
                case 0x22: entity = "&quot;"
                case 0x27: entity = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from..<at]))
                raw(entity)
                from = at + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from...]))
        }
    }

    /// Markup built in another buffer.
    mutating func append(_ other: HTML) {
        bytes.append(contentsOf: other.bytes)
    }

    /// A whole number in decimal.
    mutating func int(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
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

    /// `value` to one decimal, without a trailing `.0` (`Dashboard.fixed`'s text: chart coordinates).
    mutating func fixed(_ value: Double) {
        let tenths = (value * 10).rounded()
        guard tenths.isFinite, abs(tenths) < 1e15 else { return raw(Dashboard.fixed(value)) }
        let n = Int(tenths)
        if n % 10 == 0 { return int(n / 10) }
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        int(Int(n.magnitude / 10))
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(n.magnitude % 10))
    }

    /// A path segment for a link: run and schedule ids are plain file names, but `@`, `%`, `#` and
    /// `?` would mislead a browser, so all but letters, digits and `-._~` are percent-encoded.
    mutating func segment(_ segment: String) {
        let digits: StaticString = "0123456789ABCDEF"
        for byte in segment.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: bytes.append(byte)
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(digits.utf8Start[Int(byte >> 4)])
                bytes.append(digits.utf8Start[Int(byte & 15)])
            }
        }
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
