import Foundation
import Testing
@testable import RetrainCore
import RetrainTestSupport

/// The dashboard in a real browser (Debian's chromium; `make test-deps` installs it): the filters
/// work from the address and from the controls, and an opened schedule draws its details.
@Suite(.serialized) struct DashboardBrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// The golden dashboard (six schedules, see ReportFixture), copied to a temporary folder.
    func page() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-dashboard-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("index.html").path
        try Dashboard.html(ReportFixture().set).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs a program to its end; its exit status and standard output (and error, with `errors`).
    func run(_ program: String, _ arguments: [String], errors: Bool = false) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors ? out : FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func requireChromium() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            Issue.record("chromium is not installed: `make test-deps` installs it (with chromium-driver, msmtp, python3-aiosmtpd)")
            throw CancellationError()
        }
    }

    /// The DOM after the page's script ran, opened at `fragment`.
    func dom(_ path: String, _ fragment: String) throws -> String {
        let (status, out) = try run(Self.chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(path)#\(fragment)"])
        #expect(status == 0)
        return out
    }

    /// `data-shown` on body: how many rows the filters left.
    func shown(_ dom: String) -> Int? {
        guard let range = dom.range(of: "data-shown=\"") else { return nil }
        return Int(dom[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func filtersInTheAddressChooseTheRows() throws {
        try requireChromium()
        let path = try page()
        #expect(shown(try dom(path, "")) == 6)
        #expect(shown(try dom(path, "model=attrition")) == 1)
        #expect(shown(try dom(path, "status=failed")) == 1)
        #expect(shown(try dom(path, "status=attention")) == 3)
        #expect(shown(try dom(path, "status=stale")) == 1)
        #expect(shown(try dom(path, "q=gold")) == 1)
        #expect(shown(try dom(path, "model=risk&status=failed")) == 0)
        let opened = try dom(path, "open=attrition-weekly")
        #expect(opened.components(separatedBy: "<figure class=\"chart\">").count - 1 == 3)
        #expect(opened.contains("retrain run attrition-weekly --wait"))
    }

    @Test func aPersonUsingTheControlsSeesTheRightRows() throws {
        try requireChromium()
        let script = repositoryRoot.appendingPathComponent("Tests/Browser/dashboard_filters.py").path
        let (status, out) = try run("/usr/bin/python3", [script, try page()], errors: true)
        #expect(status == 0, "\(out)")
        #expect(out.contains("every check passed"))
    }
}
