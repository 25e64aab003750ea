import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct ParallelLoadingTests {
    /// Loading on both cores keeps every file's result, in order. (Writing results through
    /// `Array.withUnsafeMutableBufferPointer` from two threads once crashed here now and then.)
    @Test func everyResultArrivesInOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-parallel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for i in 0..<1500 {
            let text = "model: risk\nstart: 2026-12-01\nrepeat: daily\ndata: r.csv\ntarget: y\ndescription: schedule \(i)\n"
            try text.write(to: folder.appendingPathComponent(String(format: "s%05d.yaml", i)), atomically: false, encoding: .utf8)
        }
        for _ in 0..<20 {
            let report = Validator.validate(paths: [folder.path], context: ValidationContext())
            #expect(report.errorCount == 0)
            #expect(report.schedules.count == 1500)
            #expect(report.schedules.map(\.id) == (0..<1500).map { String(format: "s%05d", $0) })
            #expect(report.schedules.map(\.description) == (0..<1500).map { "schedule \($0)" })
        }
    }
}
