/// A 5-field cron expression (minute, hour, day of month, month, day of week) or an `@alias`,
/// parsed to bit sets. Vixie cron's rule: when both day fields are restricted (neither starts with
/// `*`), a day matches if either matches; otherwise both must.
public struct CronExpression: Sendable, Hashable {
    /// Bits 0...59.
    public var minutes: UInt64
    /// Bits 0...23.
    public var hours: UInt32
    /// Bits 1...31.
    public var daysOfMonth: UInt32
    /// Bits 1...12.
    public var months: UInt16
    /// Bits 0...6, Sunday = 0.
    public var daysOfWeek: UInt8
    /// The day-of-month field does not start with `*`.
    public var dayOfMonthRestricted: Bool
    /// The day-of-week field does not start with `*`.
    public var dayOfWeekRestricted: Bool
    /// The text as written.
    public var source: String

    /// The `@` forms Vixie cron accepts and the fields they stand for.
    public static let aliases: [(String, String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    private struct Field {
        let name: String
        let min: Int
        let max: Int
        let names: [String]
    }

    private static let fields = [
        Field(name: "minute", min: 0, max: 59, names: []),
        Field(name: "hour", min: 0, max: 23, names: []),
        Field(name: "day of month", min: 1, max: 31, names: []),
        Field(name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        Field(name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// Parses an expression; the error's offset points into `text`. A well-formed expression is read
    /// straight from its bytes (every schedule file with a cron `repeat` comes through here); anything
    /// else (an alias, a mistake) goes the longer way, which explains what is wrong and where.
    public static func parse(_ text: String) -> Result<CronExpression, FieldError> {
        if var expression = text.withUTF8Bytes(parseWellFormed) {
            expression.source = text
            return .success(expression)
        }
        return parseExplaining(text)
    }

    /// The expression in `b` when it is five well-formed fields that can fire, else nil. Reads what
    /// `parseExplaining` reads, to the same bits; a test holds the two to it.
    static func parseWellFormed(_ b: UnsafeBufferPointer<UInt8>) -> CronExpression? {
        @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        var sets: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        var restricted = (dayOfMonth: false, dayOfWeek: false)
        var i = 0
        for index in 0..<5 {
            while i < b.count, isSpace(b[i]) { i += 1 }
            let start = i
            while i < b.count, !isSpace(b[i]) { i += 1 }
            guard i > start, let bits = wellFormedField(UnsafeBufferPointer(rebasing: b[start..<i]), index) else { return nil }
            switch index {
            case 0: sets.0 = bits
            case 1: sets.1 = bits
            case 2:
                sets.2 = bits
                restricted.dayOfMonth = b[start] != UInt8(ascii: "*")
            case 3: sets.3 = bits
            default:
                sets.4 = bits
                restricted.dayOfWeek = b[start] != UInt8(ascii: "*")
            }
        }
        while i < b.count, isSpace(b[i]) { i += 1 }
        guard i == b.count else { return nil }
        var dow = sets.4
        if dow & (1 << 7) != 0 { dow = (dow | 1) & ~(1 << 7) }
        let expression = CronExpression(
            minutes: sets.0, hours: UInt32(sets.1), daysOfMonth: UInt32(sets.2), months: UInt16(sets.3), daysOfWeek: UInt8(dow),
            dayOfMonthRestricted: restricted.dayOfMonth, dayOfWeekRestricted: restricted.dayOfWeek, source: "")
        return expression.canFire ? expression : nil
    }

    /// Field `index`'s bits from its bytes, or nil when anything in it is not plainly valid.
    private static func wellFormedField(_ t: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt64? {
        let (low, high) =
            switch index {
            case 0: (0, 59)
            case 1: (0, 23)
            case 2: (1, 31)
            case 3: (1, 12)
            default: (0, 7)
            }
        // A number of one to four digits within the field's range, or (months, days of the week) a
        // three-letter name in any case.
        func value(_ from: Int, _ to: Int) -> Int? {
            guard to > from else { return nil }
            if t[from] >= 0x30 && t[from] <= 0x39 {
                guard to - from <= 4 else { return nil }
                var v = 0
                for k in from..<to {
                    guard t[k] >= 0x30 && t[k] <= 0x39 else { return nil }
                    v = v * 10 + Int(t[k] - 0x30)
                }
                return v >= low && v <= high ? v : nil
            }
            guard index >= 3, to - from == 3 else { return nil }
            let code = (UInt32(t[from] & 0xDF) << 16) | (UInt32(t[from + 1] & 0xDF) << 8) | UInt32(t[from + 2] & 0xDF)
            let names: StaticString = index == 3 ? "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC" : "SUNMONTUEWEDTHUFRISAT"
            for n in 0..<(names.utf8CodeUnitCount / 3) {
                let p = names.utf8Start + 3 * n
                if code == (UInt32(p[0]) << 16) | (UInt32(p[1]) << 8) | UInt32(p[2]) { return index == 3 ? n + 1 : n }
            }
            return nil
        }
        var bits: UInt64 = 0
        var p = 0
        while true {
            var end = p
            while end < t.count, t[end] != UInt8(ascii: ",") { end += 1 }
            var slash = p
            while slash < end, t[slash] != UInt8(ascii: "/") { slash += 1 }
            var step = 1
            if slash < end {
                guard let s = value(slash + 1, end), s > 0, s <= high, t[slash + 1] >= 0x30, t[slash + 1] <= 0x39 else { return nil }
                step = s
            }
            let first: Int
            let last: Int
            if slash - p == 1, t[p] == UInt8(ascii: "*") {
                first = low
                last = index == 4 ? 6 : high
            } else if let dash = (p..<slash).first(where: { t[$0] == UInt8(ascii: "-") }) {
                guard let a = value(p, dash), let z = value(dash + 1, slash), a <= z else { return nil }
                first = a
                last = z
            } else {
                guard let v = value(p, slash) else { return nil }
                first = v
                last = slash < end ? high : v  // `N/S`: N to the field's end, stepping S
            }
            var v = first
            while v <= last {
                bits |= 1 << UInt64(v)
                v += step
            }
            if end == t.count { return bits }
            p = end + 1
        }
    }

    /// Parses an expression the long way, explaining any mistake; the error's offset points into `text`.
    static func parseExplaining(_ text: String) -> Result<CronExpression, FieldError> {
        if text.hasPrefix("@") {
            guard let expansion = aliases.first(where: { $0.0 == text })?.1 else {
                let known = aliases.map(\.0)
                return .failure(
                    FieldError("unknown cron alias '\(text)'\(Suggestion.hint(for: text, in: known)); use one of \(known.joined(separator: ", "))"))
            }
            return parse(expansion).map {
                var e = $0
                e.source = text
                return e
            }
        }
        let scalars = Array(text.unicodeScalars)
        var tokens: [(String, Int)] = []
        var i = 0
        while i < scalars.count {
            if scalars[i] == " " || scalars[i] == "\t" {
                i += 1
                continue
            }
            let start = i
            while i < scalars.count, scalars[i] != " ", scalars[i] != "\t" { i += 1 }
            tokens.append((String(String.UnicodeScalarView(scalars[start..<i])), start))
        }
        guard tokens.count == 5 else {
            return .failure(
                FieldError(
                    "a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has \(tokens.count); for example '30 2 * * 1' is 02:30 every Monday"
                ))
        }
        var sets: [UInt64] = []
        for (index, (token, offset)) in tokens.enumerated() {
            switch parseField(token, fields[index], offset: offset) {
            case .success(let bits): sets.append(bits)
            case .failure(let error): return .failure(error)
            }
        }
        var dow = sets[4]
        if dow & (1 << 7) != 0 { dow = (dow | 1) & ~(1 << 7) }
        let expression = CronExpression(
            minutes: sets[0], hours: UInt32(sets[1]), daysOfMonth: UInt32(sets[2]), months: UInt16(sets[3]),
            daysOfWeek: UInt8(dow), dayOfMonthRestricted: !tokens[2].0.hasPrefix("*"),
            dayOfWeekRestricted: !tokens[4].0.hasPrefix("*"), source: text)
        guard expression.canFire else {
            return .failure(
                FieldError(
                    "'\(text)' never fires: none of its months has any of its days of the month; check the day-of-month and month fields",
                    at: tokens[2].1))
        }
        return .success(expression)
    }

    /// True when some date matches (the day-of-month field fits some month of the month field).
    public var canFire: Bool {
        if dayOfMonthRestricted && dayOfWeekRestricted { return true }
        for month in 1...12 where months & (1 << month) != 0 {
            let longest = month == 2 ? 29 : LocalDateTime.daysIn(month: month, year: 2001)
            for day in 1...longest where daysOfMonth & (1 << day) != 0 { return true }
        }
        return false
    }

    /// Whether a local date matches the day fields and month (Vixie's either-or rule included).
    public func matches(year: Int, month: Int, day: Int, weekday: Int) -> Bool {
        guard months & (1 << month) != 0 else { return false }
        let domHit = daysOfMonth & (1 << day) != 0
        let dowHit = daysOfWeek & (1 << weekday) != 0
        if dayOfMonthRestricted && dayOfWeekRestricted { return domHit || dowHit }
        return domHit && dowHit
    }

    private static func parseField(_ token: String, _ field: Field, offset: Int) -> Result<UInt64, FieldError> {
        var bits: UInt64 = 0
        var itemOffset = offset
        for item in token.split(separator: ",", omittingEmptySubsequences: false) {
            let itemText = String(item)
            defer { itemOffset += itemText.unicodeScalars.count + 1 }
            guard !itemText.isEmpty else { return .failure(FieldError("empty item in the \(field.name) field", at: itemOffset)) }
            var rangePart = Substring(itemText)
            var step = 1
            if let slash = itemText.firstIndex(of: "/") {
                rangePart = itemText[..<slash]
                let stepText = itemText[itemText.index(after: slash)...]
                let stepOffset = itemOffset + itemText.distance(from: itemText.startIndex, to: slash) + 1
                guard let s = Int(stepText), s > 0, s <= field.max else {
                    return .failure(
                        FieldError("step '\(stepText)' in the \(field.name) field must be a number from 1 to \(field.max)", at: stepOffset))
                }
                step = s
            }
            var low: Int
            var high: Int
            if rangePart == "*" {
                low = field.min
                high = field.name == "day of week" ? 6 : field.max
            } else if let dash = rangePart.firstIndex(of: "-") {
                let lowText = rangePart[..<dash]
                let highText = rangePart[rangePart.index(after: dash)...]
                let highOffset = itemOffset + rangePart.distance(from: rangePart.startIndex, to: dash) + 1
                switch (value(lowText, field, at: itemOffset), value(highText, field, at: highOffset)) {
                case (.failure(let e), _), (_, .failure(let e)): return .failure(e)
                case (.success(let l), .success(let h)):
                    guard l <= h else {
                        return .failure(
                            FieldError("range \(rangePart) in the \(field.name) field runs backwards; write the smaller value first", at: itemOffset))
                    }
                    low = l
                    high = h
                }
            } else {
                switch value(rangePart, field, at: itemOffset) {
                case .failure(let e): return .failure(e)
                case .success(let v):
                    low = v
                    // `N/S` means N to the field's end, stepping S (Vixie and most crons).
                    high = itemText.contains("/") ? field.max : v
                }
            }
            var v = low
            while v <= high {
                bits |= 1 << UInt64(v)
                v += step
            }
        }
        return .success(bits)
    }

    private static func value(_ text: Substring, _ field: Field, at offset: Int) -> Result<Int, FieldError> {
        if let n = Int(text) {
            guard n >= field.min, n <= field.max else {
                return .failure(FieldError("\(n) is out of range for the \(field.name) field (\(field.min)-\(field.max))", at: offset))
            }
            return .success(n)
        }
        if let index = field.names.firstIndex(of: text.uppercased()) {
            return .success(field.name == "month" ? index + 1 : index)
        }
        let kind =
            field.names.isEmpty
            ? "a number from \(field.min) to \(field.max)"
            : "a number from \(field.min) to \(field.max) or a name (\(field.names.first!)…\(field.names.last!))"
        return .failure(FieldError("'\(text)' is not valid in the \(field.name) field; write \(kind)", at: offset))
    }
}
