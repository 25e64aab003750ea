/// A moment in time: whole seconds since 1970-01-01T00:00:00Z. Only the command layer makes one from
/// the clock; everything below takes it as a parameter.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public var seconds: Int64

    /// Creates an instant.
    public init(seconds: Int64) {
        self.seconds = seconds
    }

    /// The instant `local` names when read as UTC.
    public init(utc local: LocalDateTime) {
        seconds = local.secondsAsIfUTC
    }

    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }

    /// This instant moved by `delta` seconds.
    public func adding(_ delta: Int64) -> Instant { Instant(seconds: seconds + delta) }

    /// The UTC calendar date and time.
    public var utc: LocalDateTime { LocalDateTime(secondsAsIfUTC: seconds) }

    /// ISO 8601 in UTC: `2026-12-01T01:00:00Z`.
    public var description: String { formatted(separators: true) }

    /// The compact UTC form used in run ids: `20261201T010000Z`.
    public var compact: String { formatted(separators: false) }

    /// Written digit by digit into the string's storage: a plan prints one or two for each of
    /// 10,000 schedules, and interpolating seven pieces made each cost seven strings.
    private func formatted(separators: Bool) -> String {
        let t = utc
        guard (0...9999).contains(t.year) else {
            let (dash, colon) = separators ? ("-", ":") : ("", "")
            return
                "\(String(format4: t.year))\(dash)\(two(t.month))\(dash)\(two(t.day))T\(two(t.hour))\(colon)\(two(t.minute))\(colon)\(two(t.second))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            var i = 0
            func digits(_ value: Int, _ count: Int) {
                var value = value
                for k in stride(from: count - 1, through: 0, by: -1) {
                    out[i + k] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                i += count
            }
            func mark(_ c: Unicode.Scalar, always: Bool = false) {
                guard separators || always else { return }
                out[i] = UInt8(ascii: c)
                i += 1
            }
            digits(t.year, 4)
            mark("-")
            digits(t.month, 2)
            mark("-")
            digits(t.day, 2)
            mark("T", always: true)
            digits(t.hour, 2)
            mark(":")
            digits(t.minute, 2)
            mark(":")
            digits(t.second, 2)
            mark("Z", always: true)
            return i
        }
    }

    /// Parses `2026-11-25T12:00:00Z`, `2026-11-25T13:00:00+01:00`, with `T` or a space, seconds optional.
    public static func parse(_ text: String) -> Instant? {
        text.withUTF8Bytes(parse(bytes:))
    }

    /// `parse` on UTF-8 bytes (the planner reads two instants from the state for every schedule).
    package static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Instant? {
        parseCanonical(b) ?? parseAnyForm(b)
    }

    /// Any form `parse` reads, the long way.
    static func parseAnyForm(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard b.count >= 16 else { return nil }
        var end = b.count
        var offset: Int64 = 0
        if b.last == UInt8(ascii: "Z") {
            end -= 1
        } else if end >= 22, b[end - 6] == UInt8(ascii: "+") || b[end - 6] == UInt8(ascii: "-"), b[end - 3] == UInt8(ascii: ":") {
            guard let h = Int64(String(decoding: b[(end - 5)..<(end - 3)], as: UTF8.self)),
                let m = Int64(String(decoding: b[(end - 2)..<end], as: UTF8.self)), h < 24, m < 60
            else { return nil }
            offset = (h * 3600 + m * 60) * (b[end - 6] == UInt8(ascii: "-") ? -1 : 1)
            end -= 6
        } else {
            return nil
        }
        let date = UnsafeBufferPointer(rebasing: b[..<end])
        guard case .success(let local) = LocalDateTime.parse(bytes: date, text: String(decoding: date, as: UTF8.self)), !local.dateOnly else {
            return nil
        }
        return Instant(seconds: local.secondsAsIfUTC - offset)
    }
}

extension Instant {
    /// `YYYY-MM-DDTHH:MM:SSZ`, the form retrain writes (`description`), read digit by digit; nil for
    /// any other text, which `parse` reads the long way (a ledger holds three instants a run, and
    /// `report --all` reads 500,000 runs at a year of history).
    @inline(__always) static func parseCanonical(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else { return nil }
        var ok = true
        func digits(_ at: Int, _ count: Int) -> Int {
            var v = 0
            for i in at..<(at + count) {
                let d = b[i] &- 0x30
                ok = ok && d <= 9
                v = v * 10 + Int(d)
            }
            return v
        }
        let (year, month, day) = (digits(0, 4), digits(5, 2), digits(8, 2))
        let (hour, minute, second) = (digits(11, 2), digits(14, 2), digits(17, 2))
        guard ok, (1...12).contains(month), day >= 1, day <= LocalDateTime.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        return Instant(seconds: LocalDateTime.days(year: year, month: month, day: day) * 86_400 + Int64(hour * 3600 + minute * 60 + second))
    }
}

@inline(__always) package func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }

extension LocalDateTime {
    /// Days from 1970-01-01 to this date (proleptic Gregorian; Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int64 {
        Self.days(year: year, month: month, day: day)
    }

    /// Days from 1970-01-01 to `year-month-day`.
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (civil_from_days).
    public static func date(daysSinceEpoch z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    /// 0 = Sunday … 6 = Saturday.
    public var weekday: Int {
        let d = daysSinceEpoch
        return Int(((d % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
    }

    /// Seconds since the epoch if this wall time were UTC.
    public var secondsAsIfUTC: Int64 {
        daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The wall time `seconds` after the epoch, read as UTC.
    public init(secondsAsIfUTC seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (y, m, d) = LocalDateTime.date(daysSinceEpoch: days)
        self.init(year: y, month: m, day: d, hour: rest / 3600, minute: rest / 60 % 60, second: rest % 60)
    }

    /// The same wall time `count` days later.
    public func addingDays(_ count: Int) -> LocalDateTime {
        let (y, m, d) = LocalDateTime.date(daysSinceEpoch: daysSinceEpoch + Int64(count))
        return LocalDateTime(year: y, month: m, day: d, hour: hour, minute: minute, second: second)
    }

    /// The same wall time `count` months later, the day clamped to that month's last day.
    public func addingMonths(_ count: Int, dayOfMonth: Int) -> LocalDateTime {
        let index = year * 12 + (month - 1) + count
        let y = index >= 0 ? index / 12 : (index - 11) / 12
        let m = index - y * 12 + 1
        let d = min(dayOfMonth, LocalDateTime.daysIn(month: m, year: y))
        return LocalDateTime(year: y, month: m, day: d, hour: hour, minute: minute, second: second)
    }
}

/// Written as ISO 8601 UTC text (`2026-12-01T01:00:00Z`), the form every retrain file uses.
extension Instant: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let instant = Instant.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Instant.notAnInstant(text))
        }
        self = instant
    }

    /// Why `text` does not decode as an instant.
    static func notAnInstant(_ text: String) -> String {
        "'\(text)' is not an ISO 8601 instant such as 2026-12-01T01:00:00Z"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
