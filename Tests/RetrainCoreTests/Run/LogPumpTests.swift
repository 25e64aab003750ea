import Foundation
import Testing

@testable import RetrainCore

/// A trainer's output reaches its log capped: the head as it comes, the tail at the end.
@Suite struct LogPumpTests {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-log-\(UUID().uuidString).txt").path

    func pumped(_ text: [UInt8], head: Int, tail: Int, chunk: Int) throws -> String {
        let log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let pump = try #require(LogPump(log: log, head: head, tail: tail))
        var offset = 0
        while offset < text.count {
            let n = min(chunk, text.count - offset)
            _ = text[offset..<offset + n].withUnsafeBytes { write(pump.writeFD, $0.baseAddress, n) }
            offset += n
        }
        pump.finish()
        close(log)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test(arguments: [1, 7, 64, 4096])
    func aLongOutputKeepsItsHeadAndTailAndSaysWhatWasLeftOut(chunk: Int) throws {
        let text = Array((0..<2000).map { "line \($0)\n" }.joined().utf8)
        let log = try pumped(text, head: 100, tail: 50, chunk: chunk)
        let note = "\n== retrain: \(text.count - 150) bytes of output left out here; the log keeps the first 0 MB and the last 0 MB ==\n"
        #expect(log == String(decoding: text.prefix(100), as: UTF8.self) + note + String(decoding: text.suffix(50), as: UTF8.self))
        try FileManager.default.removeItem(atPath: path)
    }

    @Test func aShortOutputIsTheLogAsItCame() throws {
        let text = Array("epoch 1\nepoch 2\n".utf8)
        #expect(try pumped(text, head: 100, tail: 50, chunk: 3) == "epoch 1\nepoch 2\n")
        #expect(try pumped(Array(repeating: UInt8(ascii: "x"), count: 140), head: 100, tail: 50, chunk: 9).count == 16 + 140)
    }

    @Test func aProcessStillHoldingThePipeDoesNotHoldTheRun() throws {
        let log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let pump = try #require(LogPump(log: log))
        let holder = dup(pump.writeFD)  // as a daemon that escaped the trainer's group would
        _ = "before\n".withCString { write(holder, $0, 7) }
        let started = Date()
        pump.finish()
        #expect(Date().timeIntervalSince(started) < 1)
        close(holder)
        close(log)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "before\n")
    }

    @Test func aProcessThatNeverStopsWritingDoesNotHoldTheRun() throws {
        // The writer's writes fail once the pump has closed its end: as retrain itself does, this
        // process takes that as an error (EPIPE), not as a signal that ends it.
        signal(SIGPIPE, SIG_IGN)
        let log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        let pump = try #require(LogPump(log: log, head: 1000, tail: 100))
        let holder = dup(pump.writeFD)
        let stopped = DispatchSemaphore(value: 0)
        let writing = Thread {
            let line = Array("yes\n".utf8)
            while line.withUnsafeBytes({ write(holder, $0.baseAddress, 4) }) > 0 {}
            stopped.signal()
        }
        writing.start()
        usleep(100_000)
        let started = Date()
        pump.finish()  // the writer goes on; the pump stops
        #expect(Date().timeIntervalSince(started) < 2)
        // Its next write fails (the pipe has no reader), which ends it. Only then is its descriptor
        // closed: closed under a writer, the number could be reused by another test's file, and the
        // writer's "yes" would land there.
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        close(holder)
        close(log)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("yes\nyes\n") && text.contains("bytes of output left out here") && text.hasSuffix("yes\n"))
    }
}
