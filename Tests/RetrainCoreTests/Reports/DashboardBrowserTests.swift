import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// The dashboard in a real browser (Debian's chromium; `make test-deps` installs it): the overview's
/// filters and pages work from the address and from the controls, and a schedule's own page shows
/// its details.
@Suite(.serialized) struct DashboardBrowserTests {
    static let chromium = "/usr/bin/chromium"

    /// The fixture's reports (six schedules, see ReportFixture) in a temporary folder: the overview
    /// and each schedule's page. Returns the overview's path.
    func page() throws -> String {
        let fixture = ReportFixture()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-dashboard-\(getpid())")
        for report in fixture.reports {
            let own = folder.appendingPathComponent(report.id)
            try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
            try SchedulePage.html(report, models: "../../models").write(
                toFile: own.appendingPathComponent("index.html").path, atomically: false, encoding: .utf8)
        }
        let path = folder.appendingPathComponent("index.html").path
        try Dashboard.html(fixture.set).write(toFile: path, atomically: false, encoding: .utf8)
        try DashboardAssets.css.text.write(toFile: folder.appendingPathComponent("style.css").path, atomically: false, encoding: .utf8)
        return path
    }

    /// An overview of `n` schedules (rows as a first reconcile leaves them), in a folder of its own.
    func bigPage(_ n: Int) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-dashboard-big-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let spec = ReportFixture.spec("s", "model: m\ncommand: [sh, x.sh]\nstart: 2026-11-01 00:00\nrepeat: daily\n")
        let rows = (0..<n).map { i -> OverviewRow in
            var one = spec
            one.id = "s\(1000 + i)"
            let overview = ScheduleOverview(
                one, state: ScheduleState(specHash: "h", timingHash: "t", anchor: "2026-11-01T00:00:00Z"), now: ReportFixture.now)
            let history = OverviewRow.HistorySummary(
                source: "", keyMetric: "auc", better: .higher, trend: [0.7, 0.8], rejected: nil, lastSuccess: nil, lastDuration: nil, trained: 2)
            return OverviewRow(overview, history: history, nextRuns: [], stale: false)
        }
        let path = folder.appendingPathComponent("index.html").path
        try Dashboard.html(ReportSet(now: ReportFixture.now, rows: rows)).write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// How many schedule rows the page drew.
    func drawn(_ dom: String) -> Int { dom.components(separatedBy: "<tr class=\"sched\"").count - 1 }

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
        // A schedule's page: no script, every detail in the HTML.
        let page = try dom(path.replacingOccurrences(of: "/index.html", with: "/attrition-weekly/index.html"), "")
        #expect(page.components(separatedBy: "<figure class=\"chart\">").count - 1 == 3)
        #expect(page.contains("retrain run attrition-weekly --wait") && page.contains("<line class=\"gate\""))
    }

    @Test func aLargeOverviewIsDrawnAPageAtATime() throws {
        try requireChromium()
        let path = try bigPage(250)
        let first = try dom(path, "")
        #expect(shown(first) == 250 && drawn(first) == 100 && first.contains("page 1 of 3"))
        let third = try dom(path, "page=3")
        #expect(drawn(third) == 50 && third.contains("s1249") && !third.contains(">s1000<"))
        // A filter counts every match and pages them again from the first.
        let some = try dom(path, "q=s12&page=9")
        #expect(shown(some) == 50 && drawn(some) == 50 && some.contains("s1200") && some.contains("page 1 of 1"))
    }

    @Test func aPersonUsingTheControlsSeesTheRightRows() throws {
        try requireChromium()
        let script = repositoryRoot.appendingPathComponent("Tests/Browser/dashboard_filters.py").path
        let (status, out) = try run("/usr/bin/python3", [script, try page()], errors: true)
        #expect(status == 0, "\(out)")
        #expect(out.contains("every check passed"))
    }
}
