import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// The state and overview writers are written by hand for speed; they must write what
/// `JSONEncoder` with sorted keys writes, and read back as what was written.
@Suite struct StateFileJSONTests {
    /// A state with every field set somewhere, and text that needs escaping.
    static var state: StateFile {
        var state = StateFile()
        var full = ScheduleState(specHash: "s", timingHash: "t", anchor: "2026-11-01T00:00:00Z")
        full.sourceHash = "f"
        full.lastSlot = "2026-11-20T01:00:00Z"
        full.trigger = "again \"quoted\"\n"
        full.activeRun = ActiveRun(
            id: "a@x", slot: "2026-11-20T01:00:00Z", executor: "local", pid: 42, host: "vm", slurmJob: "7",
            startedAt: "2026-11-20T01:00:05Z", attempt: 2, folder: "reports/a/a@x/attempt-2")
        full.retry = PendingRetry(id: "a@y", slot: "2026-11-13T01:00:00Z", attempt: 3, notBefore: "2026-11-13T02:00:00Z", reason: "exit 1 \\ ✗")
        full.champion = RunPointer(
            RunRecord(
                id: "a@c", slot: "2026-11-06T01:00:00Z", status: .completed, attempt: 1, finishedAt: "2026-11-06T01:00:00Z",
                metrics: ["auc": 0.81, "f1": 0.55]))
        full.lastTrained = RunPointer(
            RunRecord(
                id: "a@r", slot: "2026-11-07T01:00:00Z", status: .rejected, attempt: 1, finishedAt: "2026-11-07T01:00:00Z",
                metrics: ["auc": 0.7]))
        full.lastRun = RunBrief(
            RunRecord(
                id: "a@r", slot: "2026-11-07T01:00:00Z", status: .rejected, reason: "gate failed", attempt: 1,
                finishedAt: "2026-11-07T01:00:00Z"))
        full.consecutiveFailures = 2
        full.orphaned = true
        full.staleNoticeFor = "2026-11-06T01:00:00Z"
        state.schedules["a"] = full
        state.schedules["b/odd"] = ScheduleState(specHash: "s2", timingHash: "t2", anchor: "2026-11-02T00:00:00Z")
        state.outbox = ["a@r.rejected"]
        return state
    }

    @Test func theStateIsWrittenAsJSONEncoderWouldAndReadsBack() throws {
        let state = Self.state
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = String(decoding: try encoder.encode(state), as: UTF8.self) + "\n"
        #expect(state.jsonText() == expected)
        #expect(try JSONReader.decode(StateFile.self, from: Array(state.jsonText().utf8)) == state)
        #expect(StateFile().jsonText() == "{\"schedules\":{},\"version\":2}\n")
    }

    /// A store keeps the text of the entries that did not change: what it writes must be what a
    /// fresh encoding writes, whether the entries came from its own last save or from the file.
    @Test func unchangedEntriesKeepTheirTextAndTheFileIsAsIfWrittenAfresh() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-texts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state.json").path
        var state = Self.state
        try StateStore(path: path).save(state)
        // Another store (another process) reads it, changes one entry and adds one.
        let store = StateStore(path: path)
        var read = try store.load()
        read.schedules["a"]!.consecutiveFailures = 5
        read.schedules["c"] = ScheduleState(specHash: "s3", timingHash: "t3", anchor: "2026-11-03T00:00:00Z")
        try store.save(read)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == read.jsonText())
        // Saved again by the same store after another change: from its own texts.
        read.schedules["b/odd"]!.orphaned = true
        try store.save(read)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == read.jsonText())
        #expect(try StateStore(path: path).load() == read)
        // A file laid out by hand reads as what it says, and an entry of it that changes is written anew.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(state).write(to: URL(fileURLWithPath: path))
        let byHand = StateStore(path: path)
        var loaded = try byHand.load()
        #expect(loaded == state)
        state.schedules["a"]!.trigger = "v3"
        loaded.schedules["a"]!.trigger = "v3"
        try byHand.save(loaded)
        #expect(try StateStore(path: path).load() == state)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"trigger\":\"v3\""))
    }
}
