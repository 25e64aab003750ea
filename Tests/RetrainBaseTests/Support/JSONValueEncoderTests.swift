import Testing

@testable import RetrainBase

/// The command line's JSON payloads: Encodable models, written as JSONValue writes them.
@Suite struct JSONValueEncoderTests {
    struct Row: Encodable {
        var id: String
        var next: Int?
        var score: Double
        var tags: [String]
        var raw: JSONValue

        enum CodingKeys: String, CodingKey {
            case id, next, score, tags
            case raw = "raw_value"
        }
    }

    @Test func keysKeepTheirDeclaredOrderAndAnAbsentValueIsNull() throws {
        let row = Row(id: "a", next: nil, score: 0.5, tags: ["x", "y"], raw: .object([.init("k", .int(1))]))
        #expect(try JSONValueEncoder.encode(row).compact == #"{"id":"a","next":null,"score":0.5,"tags":["x","y"],"raw_value":{"k":1}}"#)
    }

    @Test func keysThatAreDataKeepTheirOrder() throws {
        let labels = KeyedValuesProbe(pairs: [("team", "people"), ("area", "hr")])
        #expect(try JSONValueEncoder.encode(labels).compact == #"{"team":"people","area":"hr"}"#)
    }

    @Test func aListOfManyRowsIsBuiltInPlace() throws {
        let rows = (0..<10_000).map { Row(id: String($0), next: $0, score: 1, tags: [], raw: .null) }
        guard case .array(let items) = try JSONValueEncoder.encode(rows) else {
            Issue.record("not an array")
            return
        }
        #expect(items.count == 10_000)
        #expect(items[9_999].compact == #"{"id":"9999","next":9999,"score":1.0,"tags":[],"raw_value":null}"#)
    }

    /// `KeyedValues` lives a layer above; the same dynamic-key encoding, here.
    struct KeyedValuesProbe: Encodable {
        var pairs: [(String, String)]
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in pairs { try c.encode(v, forKey: Key(stringValue: k)) }
        }
    }
}
