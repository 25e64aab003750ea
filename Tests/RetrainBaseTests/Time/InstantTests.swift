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
    /// The canonical form read digit by digit says what the long way says, for every instant and
    /// for text that is nearly one; anything it does not take goes the long way.
    @Test func theCanonicalFormIsReadAsTheLongWayReadsIt() {
        func both(_ text: String) -> (Instant?, Instant?) {
            var text = text
            return text.withUTF8 { (Instant.parseCanonical($0), Instant.parseAnyForm($0)) }
        }
        var seconds: Int64 = -62_167_219_200  // 0000-01-01T00:00:00Z
        while seconds < 253_402_300_800 {  // 10000-01-01
            let text = Instant(seconds: seconds).description
            let (fast, slow) = both(text)
            #expect(fast == slow && fast?.seconds == seconds, "\(text)")
            seconds += 86_400 * 13 + 3_607 * 7 + 11  // days, hours, minutes and seconds all move
        }
        for text in [
            "2026-02-29T00:00:00Z", "2028-02-29T23:59:59Z", "1900-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z", "2026-04-00T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T23:60:00Z",
            "2026-11-25T23:59:60Z", "2026-11-25 12:00:00Z", "2026-11-25T12:00:00z", "2026-1a-25T12:00:00Z", "2026-11-25T12:00:00+01:00",
            "2026-11-25T12:00Z", "+026-11-25T12:00:00Z", "2026/11/25T12:00:00Z",
        ] {
            let (fast, slow) = both(text)
            #expect(fast == nil || fast == slow, "\(text)")
            #expect(Instant.parse(text) == slow, "\(text)")
        }
    }
}
