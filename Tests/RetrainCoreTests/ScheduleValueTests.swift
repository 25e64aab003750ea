import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct DurationTests {
    @Test(arguments: [("30s", 30), ("10m", 600), ("1h30m", 5400), ("6h", 21_600), ("15d", 1_296_000), ("1d2h3m4s", 93_784)])
    func parses(text: String, seconds: Int) throws {
        #expect(try TimeSpan.parse(text).get().seconds == seconds)
    }

    @Test(arguments: [
        ("", 0, "empty duration"), ("5min", 2, "'i' is not a duration unit"), ("30m1h", 4, "largest to smallest"),
        ("10", 2, "no unit after its last number"), ("0s", 0, "longer than zero"), ("h", 0, "needs a number"),
    ])
    func rejects(text: String, offset: Int, message: String) {
        guard case .failure(let error) = TimeSpan.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.offset == offset)
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func printsCanonically() {
        #expect(TimeSpan(seconds: 5400).description == "1h30m")
        #expect(TimeSpan(seconds: 86_400 * 15).description == "15d")
    }
}

@Suite struct LocalDateTimeTests {
    @Test(arguments: [
        ("2026-12-01", "2026-12-01"), ("2026-12-01 02:00", "2026-12-01 02:00"), ("2026-12-01T02:00:30", "2026-12-01 02:00:30"),
        ("2028-02-29 23:59", "2028-02-29 23:59"), ("2000-02-29", "2000-02-29"),
    ])
    func parses(text: String, printed: String) throws {
        #expect(try LocalDateTime.parse(text).get().description == printed)
    }

    @Test(arguments: [
        ("2026-02-29", 8, "day 29 does not exist in February 2026"), ("1900-02-29", 8, "February 1900"),
        ("2026-13-01", 5, "month 13"), ("2026-04-31", 8, "April 2026, which has 30 days"), ("2026-12-01 24:00", 11, "hour 24"),
        ("2026-12-01 02:60", 14, "minute 60"), ("2026-12-01T02:00Z", 16, "UTC offset is not allowed"),
        ("2026-12-01 02:00+01:00", 16, "UTC offset"), ("next tuesday", 0, "is not a date"), ("2026-12-01 2pm", 11, "no valid time"),
    ])
    func rejects(text: String, offset: Int, message: String) {
        guard case .failure(let error) = LocalDateTime.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.offset == offset)
        #expect(error.message.contains(message), "\(error.message)")
    }
}

@Suite struct CronExpressionTests {
    @Test func parsesFieldsToBitSets() throws {
        let e = try CronExpression.parse("*/15 9-17 1,15 JAN-MAR mon-fri").get()
        #expect(e.minutes == (1 << 0 | 1 << 15 | 1 << 30 | 1 << 45))
        #expect(e.hours == (9...17).reduce(0) { $0 | 1 << $1 })
        #expect(e.daysOfMonth == (1 << 1 | 1 << 15))
        #expect(e.months == (1 << 1 | 1 << 2 | 1 << 3))
        #expect(e.daysOfWeek == (1...5).reduce(0) { $0 | 1 << $1 })
        #expect(e.dayOfMonthRestricted && e.dayOfWeekRestricted)
    }

    /// `parse` reads well-formed expressions straight from their bytes and sends the rest the long
    /// way; both ways must read every expression alike. Fields are drawn (with a fixed seed) from
    /// every form a field can take, valid or not, so agreement covers errors too. A sign (`+5`) is
    /// the one valid form left to the long way.
    @Test func theQuickReadingAgreesWithTheExplainingOne() {
        let forms = [
            "*", "*/15", "5", "07", "0-5", "1-31", "5/20", "1,15", "1-5,10-12/2", "JAN-MAR", "mon-fri", "sun,Sat", "7", "5-7",
            "*/0", "60", "24", "32", "13", "8", "5-1", "1,,2", "", "+5", "FOO", "*-5", "1/2/3", "*/JAN", "0/60", "1-", "-1", "٣",
        ]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(n))
        }
        var quickOnes = 0
        for _ in 0..<4000 {
            // Half the fields from the first fourteen forms (valid in any field but the hour's), so
            // that many expressions are valid.
            let fields = (0..<5).map { _ in forms[next(2) == 0 ? next(14) : next(forms.count)] }
            let text = fields.joined(separator: [" ", "  ", "\t"][next(3)])
            let quick = text.utf8.withContiguousStorageIfAvailable(CronExpression.parseWellFormed) ?? nil
            switch CronExpression.parseExplaining(text) {
            case .success(var expected):
                expected.source = ""
                #expect(quick == expected || (quick == nil && text.contains("+")), "\(text)")
            case .failure:
                #expect(quick == nil, "\(text)")
            }
            if quick != nil { quickOnes += 1 }
        }
        #expect(quickOnes > 100)  // the quick way is taken, not only agreed with
    }

    @Test func sundayIsZeroOrSeven() throws {
        #expect(try CronExpression.parse("0 0 * * 7").get().daysOfWeek == 1)
        #expect(try CronExpression.parse("0 0 * * 5-7").get().daysOfWeek == (1 << 0 | 1 << 5 | 1 << 6))
    }

    @Test func stepFromAValueRunsToTheFieldsEnd() throws {
        #expect(try CronExpression.parse("5/20 * * * *").get().minutes == (1 << 5 | 1 << 25 | 1 << 45))
    }

    @Test func vixieRuleDayOfMonthOrDayOfWeek() throws {
        let either = try CronExpression.parse("0 0 13 * FRI").get()
        #expect(either.matches(year: 2026, month: 3, day: 13, weekday: 5))  // Friday 13th
        #expect(either.matches(year: 2026, month: 3, day: 6, weekday: 5))  // any Friday
        #expect(either.matches(year: 2026, month: 3, day: 13, weekday: 2))  // any 13th
        let both = try CronExpression.parse("0 0 */2 * FRI").get()  // '*' first: both must match
        #expect(!both.matches(year: 2026, month: 3, day: 6, weekday: 5))
        #expect(both.matches(year: 2026, month: 3, day: 13, weekday: 5))
    }

    @Test(arguments: [("@daily", "0 0 * * *"), ("@hourly", "0 * * * *"), ("@weekly", "0 0 * * 0"), ("@monthly", "0 0 1 * *")])
    func aliasesExpand(alias: String, fields: String) throws {
        var a = try CronExpression.parse(alias).get()
        a.source = fields
        #expect(a == (try CronExpression.parse(fields).get()))
    }

    @Test(arguments: [
        ("0 0 31 2 *", 4, "never fires"), ("0 0 30 2 *", 4, "never fires"), ("0 0 * *", 0, "has 5 fields"),
        ("60 * * * *", 0, "60 is out of range for the minute field"), ("0 24 * * *", 2, "hour field"),
        ("0 0 * * 8", 8, "day of week field (0-7)"), ("0 0 * FOO *", 6, "'FOO' is not valid in the month field"),
        ("0 0 5-1 * *", 4, "runs backwards"), ("*/0 * * * *", 2, "step '0'"), ("0 0 1,,2 * *", 6, "empty item"),
        ("@fortnightly", 0, "unknown cron alias"),
    ])
    func rejects(text: String, offset: Int, message: String) {
        guard case .failure(let error) = CronExpression.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.offset == offset, "\(error.message)")
        #expect(error.message.contains(message), "\(error.message)")
    }

    @Test func feb29CanFire() throws {
        #expect(try CronExpression.parse("0 0 29 2 *").get().canFire)
        #expect(try CronExpression.parse("0 0 31 2 MON").get().canFire)  // Vixie: any Monday in February
    }
}

@Suite struct GateTests {
    @Test func parsesNumbersAndReferences() throws {
        let a = try Gate.parse("auc >= 0.80").get()
        #expect(a.metric == "auc" && a.comparison == .greaterOrEqual && a.operand == .number(0.8))
        let b = try Gate.parse("log_loss <= previous.log_loss * 1.10").get()
        #expect(b.operand == .reference(.previous, metric: "log_loss", adjustment: Gate.Adjustment(op: "*", value: 1.1)))
        let c = try Gate.parse("auc>=champion.auc-0.02").get()
        #expect(c.operand == .reference(.champion, metric: "auc", adjustment: Gate.Adjustment(op: "-", value: 0.02)))
        #expect(c.referenceOffset == 14)
        #expect(try Gate.parse("rmse < 1e-3").get().operand == .number(0.001))
    }

    @Test(arguments: [
        ("", 0, "starts with a metric"), ("auc", 3, "expected one of"), ("auc == 0.8", 4, "equality is not a gate"),
        ("auc >> 0.8", 4, "'>>' is not a comparison"), ("auc >= champoin.auc", 7, "did you mean 'champion'"),
        ("auc >= champion", 15, "needs a metric"), ("auc >= champion.auc ^ 2", 20, "unexpected '^ 2'"),
        ("auc >= champion.auc - x", 22, "expected a number after '-'"), ("auc >= ", 7, "expected a number"),
    ])
    func rejects(text: String, offset: Int, message: String) {
        guard case .failure(let error) = Gate.parse(text) else {
            Issue.record("\(text) parsed")
            return
        }
        #expect(error.offset == offset, "\(error.message)")
        #expect(error.message.contains(message), "\(error.message)")
    }
}

@Suite struct SuggestionTests {
    @Test(arguments: [("modle", "model"), ("lerning_rate", "learning_rate"), ("timezon", "timezone"), ("xyz", nil), ("retries", "retries")])
    func closest(word: String, expected: String?) {
        #expect(Suggestion.closest(to: word, in: ScheduleDecoder.keys + ["learning_rate"]) == expected)
    }
}
