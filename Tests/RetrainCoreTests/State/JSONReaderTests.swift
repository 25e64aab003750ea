import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainBase
@testable import RetrainCore

/// The state file's reader: it must read back everything Foundation's encoder writes, exactly, and
/// say where and why when it cannot.
@Suite struct JSONReaderTests {
    /// A state with every field of every type set, so a field the reader mishandles shows up as a
    /// difference from what was encoded.
    func everything() -> StateFile {
        var state = StateFile()
        var entry = ScheduleState(specHash: String(repeating: "ab", count: 32), timingHash: "t", anchor: "2026-11-01T00:00:00Z")
        entry.sourceHash = "s"
        entry.lastSlot = "2026-11-24T01:00:00Z"
        entry.trigger = "v2 \"quoted\" \\ back/slash\ttab\nnewline é 😀"
        entry.activeRun = ActiveRun(
            id: "a@20261125T010000Z", slot: "2026-11-25T01:00:00Z", executor: "local", pid: 4242, host: "node-1",
            slurmJob: "991", startedAt: "2026-11-25T01:00:01Z", attempt: 2, folder: ".retrain/runs/a")
        let run = RunRecord(
            id: "a@20261124T010000Z", slot: "2026-11-24T01:00:00Z", status: .completed, reason: "ok", attempt: 1,
            startedAt: "2026-11-24T01:00:05Z", finishedAt: "2026-11-24T01:03:00Z",
            metrics: ["auc": 0.8817596566523605, "loss": -1.5e-7, "rows": 100000, "tiny": 5e-324, "big": 1.7976931348623157e308])
        entry.champion = RunPointer(run)
        entry.lastTrained = RunPointer(run)
        entry.lastRun = RunBrief(RunRecord(id: "a@x", slot: "2026-11-23T01:00:00Z", status: .skipped, reason: "missed_deadline", attempt: 0))
        entry.consecutiveFailures = 3
        entry.orphaned = true
        entry.retry = PendingRetry(id: "a@y", slot: "2026-11-25T01:00:00Z", attempt: 2, notBefore: "2026-11-25T01:05:00Z", reason: "exit 1")
        entry.staleNoticeFor = "2026-10-01T00:00:00Z"
        state.outbox = ["a@y.failed", "a@20261001T000000Z.stale"]
        state.schedules["a"] = entry
        state.schedules["b-2"] = ScheduleState(specHash: "x", timingHash: "y", anchor: "2026-11-25T12:00:00Z")
        return state
    }

    @Test func readsBackEverythingFoundationWrites() throws {
        for formatting: JSONEncoder.OutputFormatting in [[], [.prettyPrinted, .sortedKeys], [.withoutEscapingSlashes]] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = formatting
            let bytes = Array(try encoder.encode(everything()))
            #expect(try JSONReader.decode(StateFile.self, from: bytes) == everything())
            #expect(try JSONReader.decode(StateFile.self, from: bytes) == JSONDecoder().decode(StateFile.self, from: Data(bytes)))
        }
    }

    @Test(arguments: [
        (#"{"version": 1, "schedules": {"a": {"spec_hash": "x""#, 1, 52, "the file ends inside an object (was it cut short?)"),
        ("{\"version\": 1,\n  \"schedules\": [1, 2,]\n}", 2, 22, "a ',' before ']' (JSON allows no trailing comma)"),
        ("", 1, 1, "the file ends where a value was expected (was it cut short?)"),
        (#"{"a": tru}"#, 1, 7, "'tru' is not a JSON value"),
        (#"{"a": 01}"#, 1, 7, "a number with a leading zero ('01')"),
        (#"{"a" 1}"#, 1, 6, "expected ':' after the key"),
        (#"{"a": 1 "b": 2}"#, 1, 9, "expected ',' or '}'"),
        (#"{a: 1}"#, 1, 2, "expected a quoted key"),
        (#"{"a": "\x"}"#, 1, 8, #"'\x' is not a JSON escape"#),
        (#"{"a": "\u12"}"#, 1, 8, #"'\u' must be followed by four hexadecimal digits"#),
        ("{\"a\": \"é\nb\"}", 1, 9, "a control character inside a string (write it as an escape such as \\n)"),
        (#"{"a": "never"#, 1, 7, "a string that never ends (was the file cut short?)"),
        ("{} {}", 1, 4, "unexpected text after the JSON value"),
    ])
    func syntaxErrorsSayWhereAndWhat(text: String, line: Int, column: Int, problem: String) {
        #expect(throws: JSONReader.SyntaxError(line: line, column: column, problem: problem)) {
            try JSONReader.check(Array(text.utf8))
        }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONReader.SyntaxError.self) { try JSONReader.check(Array(deep.utf8)) }
    }

    @Test func shapeErrorsNameTheField() throws {
        func field(_ text: String) -> String? {
            do {
                _ = try JSONReader.decode(StateFile.self, from: Array(text.utf8))
                return nil
            } catch DecodingError.typeMismatch(_, let c), DecodingError.dataCorrupted(let c) {
                return c.codingPath.map(\.stringValue).joined(separator: ".")
            } catch DecodingError.keyNotFound(let key, let c) {
                return (c.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            } catch {
                return "\(error)"
            }
        }
        #expect(field(#"{"version": 1, "schedules": {"a": {"spec_hash": 3, "timing_hash": "t", "anchor": "x"}}}"#) == "schedules.a.spec_hash")
        #expect(field(#"{"version": 1, "schedules": {"a": {"timing_hash": "t", "anchor": "x"}}}"#) == "schedules.a.spec_hash")
        #expect(field(#"{"version": 2, "schedules": {"a": {"spec_hash": "s", "timing_hash": "t", "anchor": "x"}}}"#) == "schedules.a.anchor")
        #expect(
            field(
                #"{"version": 2, "schedules": {"a": {"spec_hash": "s", "timing_hash": "t", "anchor": "2026-11-25T00:00:00Z", "last_run": {"id": 1}}}}"#
            )
                == "schedules.a.last_run.id")
        #expect(
            field(
                #"{"version": 2, "schedules": {"a": {"spec_hash": "s", "timing_hash": "t", "anchor": "2026-11-25T00:00:00Z", "last_run": {"id": "a@1", "status": "done", "at": "2026-11-25T00:00:00Z"}}}}"#
            )
                == "schedules.a.last_run.status")
        #expect(field(#"{"version": 1.5, "schedules": {}}"#) == "version")
        #expect(field(#"{"version": 99999999999999999999, "schedules": {}}"#) == "version")
    }

    @Test func aNestedObjectsKeysNeverAnswerForItsParent() throws {
        // Inner reads b before a, so its lookups end inside it, at a key named like the parent's next one.
        struct Inner: Decodable, Equatable {
            var b: Int
            var a: Int
        }
        struct Outer: Decodable, Equatable {
            var inner: Inner
            var b: Int
            var email: [String]
        }
        let text = #"{"inner": {"a": 1, "b": 2, "email": 3}, "b": 9, "email": ["x@example.com"]}"#
        #expect(try JSONReader.decode(Outer.self, from: Array(text.utf8)) == Outer(inner: Inner(b: 2, a: 1), b: 9, email: ["x@example.com"]))
        // The same with a notice whose details hold keys the notice itself has.
        var notice = Notice(
            key: "k", schedule: "a", event: .failed, runID: nil, at: "2026-11-25T00:00:00Z", subject: "s", text: "x",
            details: .object([.init("email", .string("inner")), .init("webhook", .string("inner")), .init("zz", .int(1))]),
            email: ["outer@example.com"], webhook: "https://outer")
        notice.tries = 2
        let bytes = Array(try JSONEncoder().encode(notice))
        #expect(try JSONReader.decode(Notice.self, from: bytes) == notice)
    }

    @Test func keysAreFoundInAnyOrderAndUnknownKeysIgnored() throws {
        struct Pair: Decodable, Equatable {
            var a: Int
            var b: String?
            var c: [Double]
        }
        let text = #"{"c": [1, 2.5e1, -0.0], "x": {"deep": [null]}, "b": null, "a": 7}"#
        #expect(try JSONReader.decode(Pair.self, from: Array(text.utf8)) == Pair(a: 7, b: nil, c: [1, 25, 0]))
        #expect(try JSONReader.decode([String: Int].self, from: Array(#"{"z": 1, "a": 2, "\u00e9": 3}"#.utf8)) == ["z": 1, "a": 2, "é": 3])
        #expect(try JSONReader.decode(String.self, from: Array(#""\ud83d\ude00 \u00e9\/""#.utf8)) == "😀 é/")
    }

    /// Metrics and instants are read straight from the tape (a ledger holds hundreds of thousands):
    /// they must read as Foundation reads them, and fail where and as the general path fails.
    @Test func metricsAndInstantsReadAsFoundationReadsThem() throws {
        struct Record: Codable, Equatable {
            var at: Instant
            var when: Instant?
            var metrics: [String: Double]?
            var all: [[String: Double]]
        }
        let text = #"{"at": "2026-11-25T13:00:00+01:00", "when": null, "metrics": {"auc": 0.9, "r\u00e9": -1e-3, "n": 7}, "all": [{}, {"x": 1}]}"#
        let bytes = Array(text.utf8)
        let read = try JSONReader.decode(Record.self, from: bytes)
        #expect(read == (try JSONDecoder().decode(Record.self, from: Data(bytes))))
        #expect(read.at == Instant.parse("2026-11-25T12:00:00Z") && read.when == nil && read.metrics?["ré"] == -1e-3 && read.metrics?["auc"] == 0.9)
        func failure(_ text: String) -> String {
            do {
                _ = try JSONReader.decode(Record.self, from: Array(text.utf8))
                return "no error"
            } catch DecodingError.typeMismatch(_, let c), DecodingError.dataCorrupted(let c) {
                return c.codingPath.map(\.stringValue).joined(separator: ".") + ": " + c.debugDescription
            } catch {
                return "\(error)"
            }
        }
        #expect(failure(#"{"at": "2026-11-25", "all": []}"#) == "at: '2026-11-25' is not an ISO 8601 instant such as 2026-12-01T01:00:00Z")
        #expect(
            failure(#"{"at": "2026-11-25T12:00:00Z", "metrics": {"auc": "high"}, "all": []}"#) == "metrics.auc: expected a number, found a string")
        #expect(failure(#"{"at": "2026-11-25T12:00:00Z", "metrics": [1], "all": []}"#) == "metrics: expected an object, found a list")
        #expect(failure(#"{"at": "2026-11-25T12:00:00Z", "all": [{"x": null}]}"#) == "all.0.x: expected a number, found null")
    }

    @Test func aStringEndsOrBreaksAtAnyOffsetFromItsStart() throws {
        // Strings are scanned eight bytes at a time: every place a quote, an escape or a control
        // character can fall within and after a block.
        for length in 0..<40 {
            let body = String(repeating: "a", count: length)
            #expect(try JSONReader.decode(String.self, from: Array("\"\(body)\"".utf8)) == body)
            #expect(try JSONReader.decode(String.self, from: Array("\"\(body)\\\"x\"".utf8)) == body + "\"x")
            #expect(try JSONReader.decode(String.self, from: Array("\"\(body)é€😀\u{7F}\"".utf8)) == body + "é€😀\u{7F}")
            #expect(
                throws: JSONReader.SyntaxError(
                    line: 1, column: length + 2, problem: "a control character inside a string (write it as an escape such as \\n)")
            ) {
                try JSONReader.decode(String.self, from: Array("\"\(body)\u{1}aaaaaaaaaaaaaaaaaaaa\"".utf8))
            }
        }
    }

    @Test func aShallowListingChecksTheWholeTextButKeepsOnlyTheMembers() throws {
        struct Top: Decodable { var version: Int }
        let text = Array(#"{"schedules":{"a":{"x":[1,2,{"y":"z"}]},"b":{}},"version":2}"#.utf8)
        let (top, members) = try text.withUnsafeBufferPointer { try JSONReader.decode(Top.self, from: $0, listing: "schedules", shallow: true) }
        #expect(top.version == 2 && members.map(\.key) == ["a", "b"])
        #expect(String(decoding: text[members[0].value], as: UTF8.self) == #"{"x":[1,2,{"y":"z"}]}"#)
        let broken = Array(#"{"schedules":{"a":{"x":[1,2,{"y":z}]}},"version":2}"#.utf8)
        #expect(throws: JSONReader.SyntaxError.self) {
            try broken.withUnsafeBufferPointer { try JSONReader.decode(Top.self, from: $0, listing: "schedules", shallow: true) }
        }
    }

    @Test func aLedgerLineReadsAsFoundationReadsIt() throws {
        // RunRecord is read straight from the tape; whatever it does not expect goes through its
        // Decodable conformance, so both read every line alike, errors included.
        let lines = [
            #"{"attempt":1,"data":{"rows":3,"sha256":"ab"},"duration_seconds":1.25,"finished_at":"2026-11-25T10:01:05Z","git_commit":"c0ffee","id":"s@20261125T100000Z","metrics":{"auc":0.91},"params":{"epochs":3,"layers":[8,4]},"slot":"2026-11-25T10:00:00Z","started_at":"2026-11-25T10:00:05Z","status":"completed"}"#,
            #"{"id":"s@x","slot":"2026-11-25T10:00:00Z","status":"skipped","attempt":0,"reason":"deadline \"6h\"\n","unknown":[1,{"a":null}]}"#,
            #"{"id":"s@x","slot":"2026-11-25T10:00:00Z","status":"failed","attempt":2,"reason":null,"metrics":null,"started_at":null,"params":null,"data":null}"#,
            #"{"id":"s@\u00e9","slot":"2026-11-25T10:00:00Z","status":"rejected","attempt":1,"metrics":{}}"#,
        ]
        for line in lines {
            let ours = try JSONReader.decode(RunRecord.self, from: Array(line.utf8))
            #expect(ours == (try JSONDecoder().decode(RunRecord.self, from: Data(line.utf8))), "\(line)")
        }
        let wrong = [
            #"{"id":"s@x","slot":"2026-11-25T10:00:00Z","status":"done","attempt":1}"#,
            #"{"id":"s@x","slot":"yesterday","status":"failed","attempt":1}"#,
            #"{"id":"s@x","status":"failed","attempt":1}"#,
            #"{"id":"s@x","slot":"2026-11-25T10:00:00Z","status":"failed","attempt":"1"}"#,
            #"{"id":"s@x","slot":"2026-11-25T10:00:00Z","status":"failed","attempt":1,"metrics":{"auc":"high"}}"#,
        ]
        for line in wrong {
            #expect(throws: (any Error).self, "\(line)") { try JSONReader.decode(RunRecord.self, from: Array(line.utf8)) }
            #expect(throws: (any Error).self, "\(line)") { try JSONDecoder().decode(RunRecord.self, from: Data(line.utf8)) }
        }
    }
}
