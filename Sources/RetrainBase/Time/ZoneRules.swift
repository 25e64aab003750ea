/// A time zone's offsets from UTC over time, read from a TZif file (RFC 8536): the table of
/// transitions, and the POSIX TZ rule in its footer for instants after the table's end.
///
/// Written by hand rather than taken from Foundation because the product needs offsets at millions of
/// instants per second (`plan` over thousands of schedules) and its own rule for local times that
/// do not exist or exist twice, which `LocalTimeResolution` implements on top of `offset(at:)`.
public struct ZoneRules: Sendable {
    /// The zone's name.
    public let name: String
    private let transitions: [Int64]
    private let transitionOffsets: [Int32]
    private let initialOffset: Int32
    private let footer: PosixRule?

    /// A zone with a fixed offset (UTC is `fixed(name: "UTC", offset: 0)`).
    public static func fixed(name: String, offset: Int32) -> ZoneRules {
        ZoneRules(name: name, transitions: [], transitionOffsets: [], initialOffset: offset, footer: nil)
    }

    private init(name: String, transitions: [Int64], transitionOffsets: [Int32], initialOffset: Int32, footer: PosixRule?) {
        self.name = name
        self.transitions = transitions
        self.transitionOffsets = transitionOffsets
        self.initialOffset = initialOffset
        self.footer = footer
    }

    /// The offset from UTC, in seconds, in force at `instant`.
    public func offset(at instant: Instant) -> Int32 {
        let t = instant.seconds
        guard let last = transitions.last else { return footer?.offset(at: t) ?? initialOffset }
        if t >= last, let footer { return footer.offset(at: t) }
        if t < transitions[0] { return initialOffset }
        var low = 0
        var high = transitions.count - 1
        while low < high {  // the last transition at or before t
            let mid = (low + high + 1) / 2
            if transitions[mid] <= t { low = mid } else { high = mid - 1 }
        }
        return transitionOffsets[low]
    }

    /// Reads a TZif file's bytes (version 2 or later: the 64-bit section and the footer).
    public init?(name: String, tzif b: [UInt8]) {
        func be32(_ i: Int) -> Int32 { Int32(bitPattern: UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])) }
        func be64(_ i: Int) -> Int64 { Int64(be32(i)) << 32 | Int64(UInt32(bitPattern: be32(i + 4))) }
        func header(_ at: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int)? {
            guard b.count >= at + 44, b[at] == 0x54, b[at + 1] == 0x5A, b[at + 2] == 0x69, b[at + 3] == 0x66 else { return nil }
            let c = (0..<6).map { Int(be32(at + 20 + 4 * $0)) }
            guard c.allSatisfy({ $0 >= 0 && $0 < 1 << 20 }) else { return nil }
            return (c[0], c[1], c[2], c[3], c[4], c[5])
        }
        guard let v1 = header(0), b[4] >= UInt8(ascii: "2") else { return nil }
        let v1Size = v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isut
        let start = 44 + v1Size
        guard let h = header(start) else { return nil }
        var p = start + 44
        let bodySize = h.time * 9 + h.type * 6 + h.char + h.leap * 12 + h.isstd + h.isut
        guard h.type > 0, b.count >= p + bodySize else { return nil }
        let times = (0..<h.time).map { be64(p + 8 * $0) }
        p += 8 * h.time
        let indices = (0..<h.time).map { Int(b[p + $0]) }
        p += h.time
        let typeOffsets = (0..<h.type).map { be32(p + 6 * $0) }
        guard indices.allSatisfy({ $0 < h.type }) else { return nil }
        p += 6 * h.type + h.char + h.leap * 12 + h.isstd + h.isut
        var footer: PosixRule?
        if p < b.count, b[p] == UInt8(ascii: "\n"), let end = b[(p + 1)...].firstIndex(of: UInt8(ascii: "\n")) {
            footer = PosixRule(String(decoding: b[(p + 1)..<end], as: UTF8.self))
        }
        self.init(
            name: name, transitions: times, transitionOffsets: indices.map { typeOffsets[$0] },
            initialOffset: typeOffsets[0], footer: footer)
    }
}

/// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3` (the TZif footer): standard and daylight
/// offsets and when daylight time starts and ends each year.
struct PosixRule: Sendable {
    package let standard: Int32
    let daylight: Int32?
    package let start: DateRule
    package let end: DateRule

    /// When in the year a change happens, and at what local time (seconds, may exceed a day).
    struct DateRule: Sendable {
        enum Day: Sendable {
            case monthWeekDay(month: Int, week: Int, weekday: Int)
            case julianNoLeap(Int)
            case zeroBased(Int)
        }
        package let day: Day
        package let time: Int64

        /// Seconds from the epoch to the change in `year`, in the local time it is stated in.
        func localSeconds(year: Int) -> Int64 {
            let days: Int64
            switch day {
            case .monthWeekDay(let month, let week, let weekday):
                let first = LocalDateTime.days(year: year, month: month, day: 1)
                let firstWeekday = Int(((first % 7) + 11) % 7)
                var d = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
                let last = LocalDateTime.daysIn(month: month, year: year)
                while d > last { d -= 7 }
                days = first + Int64(d - 1)
            case .julianNoLeap(let n):
                var d = n - 1
                if LocalDateTime.isLeap(year) && n >= 60 { d += 1 }
                days = LocalDateTime.days(year: year, month: 1, day: 1) + Int64(d)
            case .zeroBased(let n):
                days = LocalDateTime.days(year: year, month: 1, day: 1) + Int64(n)
            }
            return days * 86_400 + time
        }
    }

    package func offset(at t: Int64) -> Int32 {
        guard let daylight else { return standard }
        let year = LocalDateTime(secondsAsIfUTC: t + Int64(standard)).year
        // Daylight time starts at a standard-time wall clock and ends at a daylight-time one.
        let starts = start.localSeconds(year: year) - Int64(standard)
        let ends = end.localSeconds(year: year) - Int64(daylight)
        let inDaylight = starts < ends ? (t >= starts && t < ends) : (t < ends || t >= starts)
        return inDaylight ? daylight : standard
    }

    package init?(_ text: String) {
        var s = Substring(text)
        func name() -> Bool {
            if s.first == "<" {
                guard let close = s.firstIndex(of: ">") else { return false }
                s = s[s.index(after: close)...]
                return true
            }
            let letters = s.prefix { $0.isLetter }
            guard letters.count >= 3 else { return false }
            s = s.dropFirst(letters.count)
            return true
        }
        func time(allowSign: Bool) -> Int64? {
            var sign: Int64 = 1
            if allowSign, let c = s.first, c == "+" || c == "-" {
                sign = c == "-" ? -1 : 1
                s = s.dropFirst()
            }
            var parts: [Int64] = []
            while parts.count < 3 {
                let digits = s.prefix { $0.isASCII && $0.isNumber }
                guard let v = Int64(digits) else { break }
                parts.append(v)
                s = s.dropFirst(digits.count)
                guard s.first == ":" else { break }
                s = s.dropFirst()
            }
            guard !parts.isEmpty else { return nil }
            let seconds = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
            return sign * seconds
        }
        func dateRule() -> DateRule? {
            guard s.first == "," else { return nil }
            s = s.dropFirst()
            let day: DateRule.Day
            if s.first == "M" {
                s = s.dropFirst()
                let fields = s.prefix { $0 != "/" && $0 != "," }.split(separator: ".").compactMap { Int($0) }
                guard fields.count == 3, (1...12).contains(fields[0]), (1...5).contains(fields[1]), (0...6).contains(fields[2]) else { return nil }
                s = s.dropFirst(s.prefix { $0 != "/" && $0 != "," }.count)
                day = .monthWeekDay(month: fields[0], week: fields[1], weekday: fields[2])
            } else if s.first == "J" {
                s = s.dropFirst()
                let digits = s.prefix { $0.isNumber }
                guard let n = Int(digits), (1...365).contains(n) else { return nil }
                s = s.dropFirst(digits.count)
                day = .julianNoLeap(n)
            } else {
                let digits = s.prefix { $0.isNumber }
                guard let n = Int(digits), (0...365).contains(n) else { return nil }
                s = s.dropFirst(digits.count)
                day = .zeroBased(n)
            }
            var at: Int64 = 7200
            if s.first == "/" {
                s = s.dropFirst()
                guard let t = time(allowSign: true) else { return nil }
                at = t
            }
            return DateRule(day: day, time: at)
        }
        guard name(), let std = time(allowSign: true) else { return nil }
        standard = Int32(-std)  // POSIX offsets count west of Greenwich
        if s.isEmpty {
            daylight = nil
            start = DateRule(day: .zeroBased(0), time: 0)
            end = start
            return
        }
        guard name() else { return nil }
        var dst = Int64(standard) + 3600
        if let c = s.first, c != "," {
            guard let t = time(allowSign: true) else { return nil }
            dst = -t
        }
        guard let startRule = dateRule(), let endRule = dateRule(), s.isEmpty else { return nil }
        daylight = Int32(dst)
        start = startRule
        end = endRule
    }
}
