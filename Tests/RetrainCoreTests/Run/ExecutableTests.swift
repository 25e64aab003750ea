import Foundation
import Subprocess
import SystemPackage
import Testing

@testable import RetrainCore

/// A command's program is found on PATH as execvp finds it, without starting a process per folder.
@Suite struct ExecutableTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-path-\(UUID().uuidString)").path

    func file(_ path: String, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func theFirstExecutableFileOnThePathIsTaken() throws {
        try file(root + "/a/tool", mode: 0o644)  // not executable: passed over
        try FileManager.default.createDirectory(atPath: root + "/b/tool", withIntermediateDirectories: true)  // a folder: passed over
        try file(root + "/c/tool", mode: 0o755)
        try file(root + "/d/tool", mode: 0o755)
        let path = [root + "/a", root + "/b", root + "/c", root + "/d"].joined(separator: ":")
        #expect(Executable.resolving("tool", path: path) == .path(FilePath(root + "/c/tool")))
        // Not found: left to swift-subprocess, which says so when it starts.
        #expect(Executable.resolving("no-such-tool", path: path) == .name("no-such-tool"))
        // A relative folder is relative to where the program starts; a path is not looked up.
        try file(root + "/repo/bin/train", mode: 0o755)
        #expect(Executable.resolving("train", in: root + "/repo", path: "bin") == .path(FilePath(root + "/repo/bin/train")))
        #expect(Executable.resolving("bin/train", in: root + "/repo", path: path) == .path(FilePath(root + "/repo/bin/train")))
        #expect(Executable.resolving("/bin/sh", in: root + "/repo") == .path(FilePath("/bin/sh")))
    }
}
