import RetrainTestSupport
import Testing

@testable import RetrainCore

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
