import RetrainTestSupport
import Testing

@testable import RetrainBase

@Suite struct CodePointOrderTests {
    /// Every listing is in code-point order; the quick id sort must agree with the plain byte
    /// comparison, including ids that share their first eight bytes or are prefixes of others.
    @Test func idsSortInCodePointOrder() {
        let stems = ["comp-ben-attrition-amer", "comp-ben", "comp-be", "a", "a-", "a_", "a0", "z9", "comp-ben-attrition-amer-0", "zz-zz-zz-zz"]
        var ids: [String] = []
        for (i, stem) in stems.enumerated() {
            for n in [0, 7, 10, 100, 999] { ids.append(n == 0 ? stem : "\(stem)-\(String(n * (i + 3) % 1000))") }
        }
        ids = Array(Set(ids)).sorted { $0.hashValue < $1.hashValue }  // an order unrelated to the answer
        let order = sortedPositions(ofIDs: ids).map { ids[$0] }
        #expect(order == ids.sorted(by: codePointLess))
        #expect(sortedPositions(ofIDs: order) == Array(order.indices))
    }
}
