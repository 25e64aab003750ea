import RetrainTestSupport
import Testing

@testable import RetrainBase

@Suite struct InstantTests {
    @Test(arguments: [
        ("2026-11-25T12:00:00Z", "2026-11-25T12:00:00Z"), ("2026-11-25T13:00:00+01:00", "2026-11-25T12:00:00Z"),
        ("2026-11-25 12:00Z", "2026-11-25T12:00:00Z"), ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func parsesAndPrints(text: String, printed: String) {
        #expect(Instant.parse(text)?.description == printed)
    }

    @Test func rejectsLocalTimesWithoutAZone() {
        #expect(Instant.parse("2026-11-25T12:00:00") == nil)
        #expect(Instant.parse("2026-11-25") == nil)
    }

    @Test func compactFormForRunIDs() {
        #expect(instant("2026-12-01T01:00:00Z").compact == "20261201T010000Z")
    }

    @Test func civilDaysRoundTrip() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = LocalDateTime.date(daysSinceEpoch: days)
            #expect(LocalDateTime.days(year: y, month: m, day: d) == days)
        }
        #expect(local("2026-11-25").weekday == 3)  // a Wednesday
    }
}
