import Foundation
import Testing

@testable import RetrainBase

/// What a writer killed part-way leaves, and who may remove it.
@Suite struct AtomicFileTests {
    @Test func aDeadWritersTemporaryIsSweptALiveOnesIsNot() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-sweep-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A pid that has been and gone: a child that exited and was collected.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        for name in ["state.json.tmp-\(dead)", "state.json.previous.tmp-\(dead)", "state.json.tmp-\(getpid())", "state.json", "notes.tmp-x"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        AtomicFile.sweepTemporaries(in: folder)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == ["notes.tmp-x", "state.json", "state.json.tmp-\(getpid())"])
    }

    @Test func aTemporaryCanBeMadeInAFolderAbove() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-tempin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/s2", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Array("new".utf8), to: folder + "/s2/comparison.json", durable: false, temporaryIn: folder)
        #expect(try String(contentsOfFile: folder + "/s2/comparison.json", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["s2"])
    }

    /// The reports' way: temporaries in a folder of their own (`.tmp`), named after the target's
    /// path below the reports folder, so a sweep looks at that folder alone.
    @Test func aTemporaryCanBeMadeInAStagingFolderNamedAfterItsPlaceBelowAnother() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-staging-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/s2", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/.tmp", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Array("new".utf8), to: folder + "/s2/index.html", durable: false, temporaryIn: folder + "/.tmp", namedBelow: folder)
        #expect(try String(contentsOfFile: folder + "/s2/index.html", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/.tmp").isEmpty)
        // What a killed writer leaves there is swept; a live one's is not.
        let dead = "s2%index.html.tmp-\(Int32.max - 7)"
        try "torn".write(toFile: folder + "/.tmp/" + dead, atomically: false, encoding: .utf8)
        try "going".write(toFile: folder + "/.tmp/s2%index.html.tmp-\(getpid())", atomically: false, encoding: .utf8)
        AtomicFile.sweepTemporaries(in: folder + "/.tmp")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/.tmp") == ["s2%index.html.tmp-\(getpid())"])
    }
}
