import RetrainTestSupport
import Testing

@testable import RetrainBase

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
