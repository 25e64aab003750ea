/// A length of time written with units, largest first: `30s`, `10m`, `1h30m`, `6h`, `15d`.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds.
    public var seconds: Int

    /// Creates a duration of `seconds`.
    public init(seconds: Int) {
        self.seconds = seconds
    }

    package static let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Parses a duration; zero is refused (every duration in the format must be positive).
    public static func parse(_ text: String) -> Result<TimeSpan, FieldError> {
        let help = "write a number with a unit, largest first: 30s, 10m, 1h30m, 6h, 15d"
        guard !text.isEmpty else { return .failure(FieldError("empty duration; \(help)")) }
        var total = 0
        var number: Int?
        var nextUnit = 0
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar >= "0" && scalar <= "9" {
                let (v, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, v <= 1_000_000_000 else { return .failure(FieldError("duration '\(text)' is too long", at: offset)) }
                number = v + Int(scalar.value - 0x30)
            } else if let index = units.firstIndex(where: { $0.0 == Character(scalar) }) {
                guard let n = number else { return .failure(FieldError("'\(scalar)' needs a number before it; \(help)", at: offset)) }
                guard index >= nextUnit else {
                    return .failure(FieldError("units must go from largest to smallest (d, h, m, s) and appear once; \(help)", at: offset))
                }
                total += n * units[index].1
                number = nil
                nextUnit = index + 1
            } else {
                return .failure(FieldError("'\(scalar)' is not a duration unit; \(help)", at: offset))
            }
            offset += 1
        }
        guard number == nil else { return .failure(FieldError("'\(text)' has no unit after its last number; \(help)", at: offset)) }
        guard total > 0 else { return .failure(FieldError("a duration must be longer than zero", at: 0)) }
        return .success(TimeSpan(seconds: total))
    }

    /// Canonical form, largest unit first (`90m` prints as `1h30m`).
    public var description: String {
        var rest = seconds
        var out = ""
        for (unit, size) in TimeSpan.units where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out.isEmpty ? "0s" : out
    }

    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.seconds < b.seconds }
}
