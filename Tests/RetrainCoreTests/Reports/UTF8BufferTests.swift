import RetrainBase
import Testing

@testable import RetrainCore

/// The page buffer's byte-level writers say exactly what the `String` functions they stand in for
/// say (the schedule pages are held byte for byte by ReportTests; these cover the edges).
@Suite struct UTF8BufferTests {
    func written(_ body: (inout UTF8Buffer) -> Void) -> String {
        var out = UTF8Buffer(capacity: 64)
        body(&out)
        return out.string
    }

    @Test(arguments: [
        Instant(seconds: 0), Instant(seconds: 1_796_173_200), Instant(seconds: 1_796_173_200 + 59), Instant(seconds: -86_400),
        Instant(seconds: 253_402_300_799),  // 9999-12-31T23:59:59Z, the last year of four digits
        Instant(seconds: 253_402_300_800),  // 10000-01-01: written through `description`
    ])
    func instantsAsTheirTexts(_ instant: Instant) {
        #expect(written { $0.instant(instant, .iso) } == instant.description)
        #expect(written { $0.instant(instant, .minute) } == ReportText.time(instant.description))
        #expect(written { $0.instant(instant, .date) } == ReportText.date(instant))
    }

    @Test func runNamesAreShortenedAndEscaped() {
        #expect(written { $0.runName("attrition@20261208T010000Z", schedule: "attrition") } == "@20261208T010000Z")
        #expect(written { $0.runName("attrition-b@x", schedule: "attrition") } == "attrition-b@x")
        #expect(written { $0.runName("attrition", schedule: "attrition") } == "attrition")
        #expect(written { $0.runName("a@<b>&'\"", schedule: "a") } == "@&lt;b&gt;&amp;&#39;&quot;")
        #expect(written { $0.runName("x@1", schedule: "") } == "x@1")
        for (id, schedule) in [("s@1", "s"), ("s@<", "t"), ("é@1", "é")] {
            #expect(written { $0.runName(id, schedule: schedule) } == written { $0.html(ReportText.runName(id, schedule: schedule)) })
        }
    }

    @Test func linkSegmentsArePercentEncoded() {
        #expect(written { $0.segment("s00001@20261208T010000Z") } == "s00001%4020261208T010000Z")
        #expect(written { $0.segment("plain-id_1.2~3") } == "plain-id_1.2~3")
        #expect(written { $0.segment("a b/é?#%") } == "a%20b%2F%C3%A9%3F%23%25")
        #expect(written { $0.segment("") } == "")
    }
}
