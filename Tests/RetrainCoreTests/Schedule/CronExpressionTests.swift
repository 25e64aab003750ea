import RetrainTestSupport
import Testing

@testable import RetrainCore

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
