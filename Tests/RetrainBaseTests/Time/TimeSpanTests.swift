import RetrainTestSupport
import Testing

@testable import RetrainBase

@Suite struct TimeSpanTests {
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
