/// A wall-clock date and time with no zone: `start` and `end` are read in the schedule's time zone.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    // Stored narrow (10 bytes, not 49): every schedule holds two and every slot one or two, and the
    // arrays of them are copied between stages.
    /// Calendar year.
    @Narrow<Int32> public var year: Int
    /// 1...12.
    @Narrow<Int8> public var month: Int
    /// 1...31, valid for the month.
    @Narrow<Int8> public var day: Int
    /// 0...23.
    @Narrow<Int8> public var hour: Int
    /// 0...59.
    @Narrow<Int8> public var minute: Int
    /// 0...59.
    @Narrow<Int8> public var second: Int
    /// True when written as a date alone.
    public var dateOnly: Bool

    /// Creates a local date-time; the caller guarantees the fields are valid.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, dateOnly: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.dateOnly = dateOnly
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM` and either with `:SS`.
    public static func parse(_ text: String) -> Result<LocalDateTime, FieldError> {
        text.withUTF8Bytes { parse(bytes: $0, text: text) }
    }

    /// `parse` on UTF-8 bytes already at hand; `text` (the same bytes as a string) is made only for
    /// an error message.
    package static func parse(bytes b: UnsafeBufferPointer<UInt8>, text: @autoclosure () -> String) -> Result<LocalDateTime, FieldError> {
        let form = "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM (local time in `timezone`)"
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var v = 0
            for i in at..<(at + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            b[7] == UInt8(ascii: "-"), let day = digits(8, 2)
        else { return .failure(FieldError("'\(text())' is not a date; \(form)")) }
        guard (1...12).contains(month) else { return .failure(FieldError("month \(month) does not exist; months are 01 to 12", at: 5)) }
        let last = daysIn(month: month, year: year)
        guard (1...last).contains(day) else {
            return .failure(FieldError("day \(day) does not exist in \(monthNames[month - 1]) \(year), which has \(last) days", at: 8))
        }
        if b.count == 10 { return .success(LocalDateTime(year: year, month: month, day: day, dateOnly: true)) }
        guard b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T") else {
            return .failure(FieldError("unexpected text after the date; \(form)", at: 10))
        }
        guard let hour = digits(11, 2), b.count >= 16, b[13] == UInt8(ascii: ":"), let minute = digits(14, 2) else {
            return .failure(FieldError("'\(text())' has no valid time of day; \(form)", at: 11))
        }
        var second = 0
        var end = 16
        if b.count > 16, b[16] == UInt8(ascii: ":") {
            guard let s = digits(17, 2) else { return .failure(FieldError("seconds must be two digits", at: 17)) }
            second = s
            end = 19
        }
        guard hour < 24 else { return .failure(FieldError("hour \(hour) does not exist; hours are 00 to 23", at: 11)) }
        guard minute < 60 else { return .failure(FieldError("minute \(minute) does not exist; minutes are 00 to 59", at: 14)) }
        guard second < 60 else { return .failure(FieldError("second \(second) does not exist; seconds are 00 to 59", at: 17)) }
        if end < b.count {
            let rest = b[end]
            if rest == UInt8(ascii: "Z") || rest == UInt8(ascii: "+") || rest == UInt8(ascii: "-") {
                return .failure(
                    FieldError(
                        "a UTC offset is not allowed here: times are local to `timezone`; remove the offset and set `timezone` instead", at: end))
            }
            return .failure(FieldError("unexpected text after the time; \(form)", at: end))
        }
        return .success(LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    /// Days in `month` of `year` (proleptic Gregorian).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December",
    ]

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    public static func == (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) == (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(month)
        hasher.combine(day)
        hasher.combine(hour)
        hasher.combine(minute)
        hasher.combine(second)
    }

    /// `YYYY-MM-DD HH:MM[:SS]`, or the date alone when written so.
    public var description: String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let date = "\(String(format4: year))-\(two(month))-\(two(day))"
        if dateOnly { return date }
        return "\(date) \(two(hour)):\(two(minute))" + (second == 0 ? "" : ":\(two(second))")
    }
}

extension String {
    package init(format4 value: Int) {
        let s = String(value)
        self = s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}
