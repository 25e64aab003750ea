import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct HistoryLedgerTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-ledger-\(UUID().uuidString)").path

    func record(_ n: Int, _ status: RunStatus = .completed) -> RunRecord {
        let slot = Instant(seconds: 1_795_000_000 + Int64(n) * 604_800)
        return RunRecord(
            id: "a@\(slot.compact)", slot: slot, status: status, reason: status == .failed ? "exit 1" : nil, attempt: 1,
            startedAt: slot.adding(5), finishedAt: slot.adding(65), metrics: status.trained ? ["auc": 0.8 + Double(n) / 1000] : nil)
    }

    func text(_ ledger: HistoryLedger, _ id: String) throws -> String {
        try String(contentsOfFile: ledger.path(of: id), encoding: .utf8)
    }

    @Test func runsAreAppendedOneLineEachAndReadBackInOrder() throws {
        let ledger = HistoryLedger(folder: folder)
        try ledger.append([("a", [record(1), record(2, .failed)])])
        try ledger.append([("a", [record(3)]), ("b", [record(1, .skipped)])])
        #expect(ledger.read("a").records == [record(1), record(2, .failed), record(3)])
        #expect(ledger.read("b").records.map(\.status) == [.skipped])
        #expect(try text(ledger, "a").split(separator: "\n").count == 3)
        #expect(ledger.read("never-ran") == HistoryLedger.Contents())
    }

    @Test func aPassDoneAgainAfterACrashDoesNotAppendTheSameRunTwice() throws {
        let ledger = HistoryLedger(folder: folder)
        try ledger.append([("a", [record(1), record(2)])])
        // The pass died before saving the state; the next one records the same runs again.
        try ledger.append([("a", [record(2), record(3)])])
        #expect(ledger.read("a").records == [record(1), record(2), record(3)])
        #expect(try text(ledger, "a").split(separator: "\n").count == 3)
    }

    @Test func aLineTornByACrashIsPassedOverThenCutOff() throws {
        let ledger = HistoryLedger(folder: folder)
        try ledger.append([("a", [record(1)])])
        let torn = String(String(decoding: HistoryLedger.line(record(2)), as: UTF8.self).prefix(30))
        let handle = try #require(FileHandle(forWritingAtPath: ledger.path(of: "a")))
        handle.seekToEndOfFile()
        handle.write(Data(torn.utf8))
        try handle.close()
        #expect(ledger.read("a").records == [record(1)])
        #expect(ledger.read("a").damaged.isEmpty)
        try ledger.append([("a", [record(2)])])
        #expect(ledger.read("a").records == [record(1), record(2)])
        #expect(try !text(ledger, "a").contains(torn + "{"))
    }

    @Test func aDamagedLineIsNamedAndTheOthersStillRead() throws {
        let ledger = HistoryLedger(folder: folder)
        try ledger.append([("a", [record(1)])])
        let handle = try #require(FileHandle(forWritingAtPath: ledger.path(of: "a")))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\": \"a@x\", \"status\": \"exploded\"}\nnot json\n".utf8))
        try handle.close()
        try ledger.append([("a", [record(3)])])
        let contents = ledger.read("a")
        #expect(contents.records == [record(1), record(3)])
        #expect(contents.damaged.map(\.line) == [2, 3])
        let path = ledger.path(of: "a")
        #expect(
            contents.warnings(path: path).hasPrefix(
                "\(path):2:1: warning: this line is not a run record (no 'slot'); it is left out. Fix or delete the line\n"))
    }

    @Test func aVersionOneHistoryComesFirstAndIsNotRepeated() throws {
        let ledger = HistoryLedger(folder: folder)
        try ledger.append([("a", [record(2), record(3)])])
        let legacy = LegacyHistory(runs: ["a": [record(1), record(2)].map { Array(HistoryLedger.line($0).dropLast()) }], notices: [], source: [])
        #expect(ledger.read("a", legacy: legacy).records == [record(1), record(2), record(3)])
        // The migration's merge keeps what the ledger already had beyond the old file.
        try ledger.merge("a", lines: legacy.runs["a"]!)
        #expect(ledger.read("a").records == [record(1), record(2), record(3)])
        try ledger.merge("a", lines: legacy.runs["a"]!)
        #expect(try text(ledger, "a").split(separator: "\n").count == 3)
    }

    @Test func anIDThatIsNotAScheduleCannotLeaveTheFolder() {
        let ledger = HistoryLedger(folder: folder)
        #expect(throws: AtomicFile.Failure.self) { try ledger.append([("../x", [record(1)])]) }
        #expect(ledger.read("../../etc/passwd") == HistoryLedger.Contents())
    }
}
