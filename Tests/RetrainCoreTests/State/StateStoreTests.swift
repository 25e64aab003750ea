import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct StateStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-state-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent(".retrain/state.json").path }
    let now = Instant.parse("2026-11-25T12:00:00Z")!

    func sample() -> StateFile {
        var state = StateFile()
        var entry = ScheduleState(specHash: "abc", timingHash: "def", anchor: "2026-11-25T12:00:00Z")
        entry.lastSlot = "2026-11-24T01:00:00Z"
        let run = RunRecord(
            id: "a@20261124T010000Z", slot: "2026-11-24T01:00:00Z", status: .completed, reason: nil, attempt: 1,
            startedAt: "2026-11-24T01:00:05Z", finishedAt: "2026-11-24T01:03:00Z", metrics: ["auc": 0.91])
        entry.lastRun = RunBrief(run)
        entry.champion = RunPointer(run)
        entry.lastTrained = RunPointer(run)
        state.schedules["a"] = entry
        return state
    }

    @Test func aMissingFileIsAnEmptyStateAndSavesRoundTrip() throws {
        let store = StateStore(path: path)
        #expect(try store.load() == StateFile())
        try store.save(sample())
        #expect(try store.load() == sample())
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"version\":2"))
        #expect(text.contains("\"last_slot\":\"2026-11-24T01:00:00Z\""))
        // The latest trained run is the champion here: written once.
        #expect(!text.contains("last_trained") && text.components(separatedBy: "a@20261124T010000Z").count == 3)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(".retrain").path).filter {
            $0.contains("tmp")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func theReplacedVersionIsKeptForRecovery() throws {
        let store = StateStore(path: path)
        try store.save(StateFile())
        try store.save(sample())
        #expect(try StateStore(path: store.previousPath).load() == StateFile())
    }

    @Test(arguments: [
        ("{\"version\": 1, \"schedules\": {\"a\": {\"spec_hash\": \"x\"", 1, 52, "the file ends inside an object (was it cut short?)"),
        ("{\"version\": 1,\n  \"schedules\": [1, 2,]\n}", 2, 22, "a ',' before ']' (JSON allows no trailing comma)"),
        ("", 1, 1, "the file ends where a value was expected (was it cut short?)"),
    ])
    func aDamagedFileIsLocatedAndNeverOverwritten(text: String, line: Int, column: Int, problem: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let store = StateStore(path: path)
        #expect {
            try store.update(operation: "test", now: now, warn: { _ in }) { $0.state = sample() }
        } throws: { error in
            guard case StateError.damaged(_, let l, let c, let p) = error else { return false }
            return l == line && c == column && p == problem
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func aVersionOneFileIsMigratedIntoLedgersAndAnIDThatCannotNameOneStopsItFirst() throws {
        func entry(_ id: String) -> String {
            let run = #"{"attempt":1,"id":"\#(id)@20261124T010000Z","slot":"2026-11-24T01:00:00Z","status":"completed"}"#
            return
                #""\#(id)":{"anchor":"2026-11-25T12:00:00Z","consecutive_failures":0,"history":[\#(run)],"orphaned":false,"spec_hash":"x","timing_hash":"y"}"#
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let store = StateStore(path: path)
        // Many schedules, written on every core, each to its own ledger.
        let ids = (0..<40).map { "s\($0)" }
        try (#"{"schedules":{"# + ids.map(entry).joined(separator: ",") + #"},"version":1}"#).write(toFile: path, atomically: false, encoding: .utf8)
        try store.update(operation: "test", now: now, warn: { _ in }) { _ in }
        for id in ids { #expect(store.history.ids(id) == ["\(id)@20261124T010000Z"]) }
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"version\":2"))

        // One id that cannot name a file: nothing is written, the file stays version 1.
        try FileManager.default.removeItem(atPath: store.history.folder)
        try FileManager.default.removeItem(atPath: store.backupPath)
        let text = #"{"schedules":{"# + ["a", "b/c", "d"].map(entry).joined(separator: ",") + #"},"version":1}"#
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try store.update(operation: "test", now: now, warn: { _ in }) { _ in }
        } throws: { error in
            "\(error)".contains("the schedule id 'b/c' cannot name its ledger file")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(store.history.ids("a").isEmpty && store.history.ids("d").isEmpty)
    }

    @Test func aNewerVersionIsRefused() throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "{\"version\": 3, \"schedules\": {}}".write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try StateStore(path: path).load()
        } throws: { error in
            (error as? StateError)?.description
                == "\(path):1:1: error: state version 3 is newer than this retrain supports (2); nothing was changed. Upgrade retrain"
        }
    }

    @Test func aWrongShapeNamesTheField() throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // In the current version and in version 1 alike.
        // The version first, or last (as retrain writes it, which a version-1 file is read by first).
        for text in [2, 1].flatMap({ v in
            [
                "{\"version\": \(v), \"schedules\": {\"a\": {\"spec_hash\": 3}}}",
                "{\"schedules\": {\"a\": {\"spec_hash\": 3}}, \"version\": \(v)}\n",
            ]
        }) {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            #expect {
                try StateStore(path: path).load()
            } throws: { error in
                guard case StateError.wrongShape(_, let field, _) = error else { return false }
                return field == "schedules.a.spec_hash"
            }
        }
    }

    @Test func aHeldLockMakesOthersWaitThenFailNamingTheHolder() throws {
        let store = StateStore(path: path)
        let held = try StateLock.acquire(store, operation: "reconcile", now: now, waitSeconds: 0, warn: { _ in })
        defer { held.release() }
        #expect(store.currentHolder()?.operation == "reconcile")
        #expect {
            try store.update(operation: "run", now: now, waitSeconds: 0.2, warn: { _ in }) { _ in }
        } throws: { error in
            guard case StateError.locked(_, let holder, _) = error else { return false }
            return holder?.pid == getpid() && holder?.operation == "reconcile" && holder?.acquiredAt == "2026-11-25T12:00:00Z"
        }
    }

    @Test func aLockLeftByADeadProcessIsTakenOverWithAWarning() throws {
        let store = StateStore(path: path)
        try store.makeFolder()
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let record = "{\"acquired_at\":\"2026-11-25T11:00:00Z\",\"host\":\"vm\",\"operation\":\"reconcile\",\"pid\":\(dead.processIdentifier)}"
        try record.write(toFile: store.lockPath, atomically: false, encoding: .utf8)
        var warnings: [String] = []
        try store.update(operation: "reconcile", now: now, warn: { warnings.append($0) }) { $0.state = sample() }
        #expect(
            warnings == [
                "took over the state lock recorded for pid \(dead.processIdentifier) on vm (reconcile since 2026-11-25T11:00:00Z): "
                    + "the lock was free, so that process ended without clearing its record"
            ])
        #expect(try store.load() == sample())
        #expect(store.currentHolder() == nil)
    }

    @Test func aWaitForTheLockSaysWhoHoldsIt() throws {
        let store = StateStore(path: path)
        try store.save(sample())
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? store.update(operation: "reconcile", now: now, warn: { _ in }) { _ in
                holding.signal()
                usleep(1_600_000)
            }
            done.signal()
        }
        holding.wait()
        nonisolated(unsafe) var warnings: [String] = []
        try store.update(operation: "run a", now: now, waitSeconds: 20, warn: { warnings.append($0) }) {
            $0.state.schedules["a"]!.consecutiveFailures = 1
        }
        done.wait()
        #expect(
            warnings == [
                "the state lock \(store.lockPath) is held by pid \(getpid()) on \(Host.name) (reconcile since 2026-11-25T12:00:00Z); waiting up to 20 s for it"
            ])
        #expect(try store.load().schedules["a"]?.consecutiveFailures == 1)
    }

    @Test func unlockRemovesTheLockFile() throws {
        let store = StateStore(path: path)
        try store.makeFolder()
        try "{\"acquired_at\":\"2026-11-25T11:00:00Z\",\"host\":\"other\",\"operation\":\"run\",\"pid\":1}".write(
            toFile: store.lockPath, atomically: false, encoding: .utf8)
        #expect(try store.unlock()?.host == "other")
        #expect(!FileManager.default.fileExists(atPath: store.lockPath))
        #expect(try store.unlock() == nil)
    }

    /// Three entries, `a`, `b` and `c`, saved whole.
    func three(_ store: StateStore) throws -> StateFile {
        var state = sample()
        state.schedules["b"] = ScheduleState(specHash: "b1", timingHash: "b2", anchor: "2026-11-20T00:00:00Z")
        state.schedules["c"] = ScheduleState(specHash: "c1", timingHash: "c2", anchor: "2026-11-21T00:00:00Z")
        state.outbox = ["n1"]
        try store.save(state)
        return state
    }

    @Test func anUpdateOfOneScheduleDecodesItAloneAndWritesWhatAWholeSaveWrites() throws {
        var whole = try three(StateStore(path: path))
        // A store that has not read or written the file: it decodes only what it is asked for.
        let store = StateStore(path: path)
        let seen = try store.update(operation: "test", now: now, only: ["b"], warn: { _ in }) { change in
            change.state.schedules["b"]!.consecutiveFailures = 3
            return change.state.schedules.keys.sorted()
        }
        #expect(seen == ["b"])
        whole.schedules["b"]!.consecutiveFailures = 3
        // The others are copied as their text: the file is what saving the whole state writes.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == whole.jsonText())
        #expect(try StateStore(path: path).load() == whole)
        // Again through the same store (the text it wrote, not read again), then a new schedule.
        try store.update(operation: "test", now: now, only: ["c"], warn: { _ in }) { $0.state.schedules["c"]!.orphaned = true }
        try store.update(operation: "test", now: now, only: ["bb"], warn: { _ in }) { change in
            #expect(change.state.schedules["bb"] == nil)
            change.state.schedules["bb"] = ScheduleState(specHash: "x", timingHash: "y", anchor: "2026-11-22T00:00:00Z")
        }
        whole.schedules["c"]!.orphaned = true
        whole.schedules["bb"] = ScheduleState(specHash: "x", timingHash: "y", anchor: "2026-11-22T00:00:00Z")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == whole.jsonText())
        #expect(try StateStore(path: path).load() == whole)
    }

    @Test func aScheduleRemovedInAPartialUpdateIsNotCopiedBack() throws {
        let store = StateStore(path: path)
        var whole = try three(store)
        try store.update(operation: "test", now: now, only: ["a"], warn: { _ in }) { $0.state.schedules["a"] = nil }
        whole.schedules["a"] = nil
        #expect(try StateStore(path: path).load() == whole)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == whole.jsonText())
    }

    @Test func aPartialUpdateOfADamagedFileSaysWhereAndWritesNothing() throws {
        let store = StateStore(path: path)
        _ = try three(store)
        let good = try String(contentsOfFile: path, encoding: .utf8)
        // Another schedule's entry is cut: the whole file is read to say where, and nothing is saved.
        let broken = good.replacingOccurrences(of: #""spec_hash":"c1""#, with: #""spec_hash":c1""#)
        try broken.write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try StateStore(path: path).update(operation: "test", now: now, only: ["a"], warn: { _ in }) { $0.state.schedules["a"]!.orphaned = true }
        } throws: { error in
            guard case StateError.damaged = error else { return false }
            return true
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == broken)
    }

    @Test func anUnknownKeyInAnEntryIsRefusedNotDroppedAtTheNextSave() throws {
        _ = try three(StateStore(path: path))
        let known = try String(contentsOfFile: path, encoding: .utf8)
        let edited = known.replacingOccurrences(of: #""spec_hash":"b1""#, with: #""notes":"keep me","spec_hash":"b1""#)
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        #expect {
            try StateStore(path: path).update(operation: "test", now: now, warn: { _ in }) { $0.state.schedules["a"]!.orphaned = true }
        } throws: { error in
            guard case StateError.wrongShape(_, let field, let problem) = error else { return false }
            return field == "schedules.b.notes" && problem.hasPrefix("'notes' is not a key this version of retrain writes")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == edited)
        // A command about another schedule copies that entry as it is, key and all.
        try StateStore(path: path).update(operation: "test", now: now, only: ["a"], warn: { _ in }) { $0.state.schedules["a"]!.orphaned = true }
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains(#""b":{"anchor":"2026-11-20T00:00:00Z","notes":"keep me""#))
    }

    @Test func readModifyWriteIsExclusiveAcrossWriters() throws {
        let store = StateStore(path: path)
        try store.save(sample())
        let threads = 8
        let rounds = 25
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<rounds {
                try! store.update(operation: "test", now: now, waitSeconds: 30, warn: { _ in }) { change in
                    change.state.schedules["a"]!.consecutiveFailures += 1
                }
            }
        }
        #expect(try store.load().schedules["a"]?.consecutiveFailures == threads * rounds)
    }
}
