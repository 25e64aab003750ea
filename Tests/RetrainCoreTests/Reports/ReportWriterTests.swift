import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// The reports are incremental: a pass rebuilds the pages of the schedules that changed and the
/// overview, reads a ledger only when it grew, and rebuilds a page that went missing.
@Suite struct ReportWriterTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-reports-\(UUID().uuidString)").path
    var fixture = ReportFixture()

    var writer: ReportWriter { ReportWriter(folder: root + "/reports") }
    var ledger: HistoryLedger { HistoryLedger(folder: root + "/history") }

    init() throws {
        try ledger.append(fixture.histories.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    func sources(_ now: Instant = ReportFixture.now) -> ReportWriter.Sources {
        ReportWriter.Sources(
            overviews: ScheduleOverview.all(schedules: fixture.specs, invalid: ["broken"], state: fixture.state, now: now),
            history: ledger, legacy: nil, defaultNotify: nil, now: now)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: root + "/reports/" + name, encoding: .utf8) }

    @Test func theFirstWriteBuildsEverySchedulesPagesAndTheNextOneNothing() throws {
        let first = try writer.write(sources())
        #expect(
            Set(first) == [
                "attrition-weekly/index.html", "attrition-weekly/comparison.md", "attrition-weekly/comparison.json",
                "churn-python/index.html", "churn-python/comparison.md", "churn-python/comparison.json",
                "duration-daily/index.html", "duration-daily/comparison.md", "duration-daily/comparison.json", "risk-paused/index.html",
                "broken/index.html", "old-model/index.html",
                "overview.json", "summary.md", "metrics.prom", "index.html", "style.css",
            ])
        #expect(try writer.write(sources()) == [])
        // The pages are those the builders make from the ledger (no result.json here: no gates).
        let overview = try #require(sources().overviews.first { $0.id == "attrition-weekly" })
        let report = ScheduleReport(overview, history: fixture.histories["attrition-weekly"]!, defaultNotify: nil, now: ReportFixture.now) { _, _ in
            nil
        }
        #expect(try read("attrition-weekly/index.html") == SchedulePage.html(report, models: "../../models"))
        #expect(try read("index.html") == Dashboard.html(fixture.set))
    }

    @Test mutating func aFinishedRunRebuildsOnlyItsSchedulesPagesAndTheOverview() throws {
        try writer.write(sources())
        // An unchanged ledger is not read again: overwritten with as many bytes of nonsense,
        // nothing notices.
        let churn = ledger.path(of: "churn-python")
        let size = try Data(contentsOf: URL(fileURLWithPath: churn)).count
        try Data(repeating: UInt8(ascii: "x"), count: size).write(to: URL(fileURLWithPath: churn))
        fixture.finish(fixture.specs[0], "20261122T010000Z", ["auc": 0.83, "log_loss": 0.42, "accuracy": 0.76])
        try ledger.append([("attrition-weekly", [fixture.histories["attrition-weekly"]!.last!])])
        let written = try writer.write(sources())
        #expect(
            Set(written) == [
                "attrition-weekly/index.html", "attrition-weekly/comparison.md", "attrition-weekly/comparison.json",
                "overview.json", "summary.md", "metrics.prom", "index.html",
            ])
        #expect(try read("attrition-weekly/index.html").contains("@20261122T010000Z"))
        #expect(try read("churn-python/index.html").contains("score"))
    }

    @Test func aPassingSlotRebuildsThePageThatShowsIt() throws {
        try writer.write(sources())
        // duration-daily's next slot (2026-12-21 08:30) passes; the others' do not.
        let later = Instant.parse("2026-12-21T09:00:00Z")!
        let written = try writer.write(sources(later))
        #expect(written.contains("duration-daily/index.html") && !written.contains("churn-python/index.html"))
        #expect(try read("duration-daily/index.html").contains("2026-12-22 08:30"))
    }

    @Test func aMissingPageIsRebuiltAndEverythingRebuildsEveryPage() throws {
        try writer.write(sources())
        let page = try read("churn-python/index.html")
        try FileManager.default.removeItem(atPath: root + "/reports/churn-python/comparison.md")
        try FileManager.default.removeItem(atPath: root + "/reports/churn-python/index.html")
        #expect(Set(try writer.write(sources())) == ["churn-python/index.html", "churn-python/comparison.md"])
        #expect(try read("churn-python/index.html") == page)
        // `report --all` reads every ledger again: one that changed behind the fingerprint's back shows.
        let path = ledger.path(of: "churn-python")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "0.61", with: "0.71").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try writer.write(sources()) == [])
        #expect(try writer.write(sources(), scope: .everything).contains("churn-python/index.html"))
        #expect(try read("churn-python/index.html").contains("0.71"))
    }

    @Test mutating func oneScheduleIsRewrittenWithTheOthersRowsKept() throws {
        #expect(try writer.writeOne(sources().overviews[0], sources: sources()) == nil)  // no overview yet
        try writer.write(sources())
        let before = try read("overview.json")
        fixture.finish(fixture.specs[2], "20261215T020000Z", ["score": 0.4, "loss": 0.3])
        try ledger.append([("churn-python", [fixture.histories["churn-python"]!.last!])])
        let one = try #require(sources().overviews.first { $0.id == "churn-python" })
        let written = try #require(try writer.writeOne(one, sources: sources()))
        #expect(
            Set(written) == [
                "churn-python/index.html", "churn-python/comparison.md", "churn-python/comparison.json",
                "overview.json", "summary.md", "metrics.prom", "index.html",
            ])
        // Every other row is the one the last write left.
        func rows(_ text: String) throws -> [String: NSDictionary] {
            let file = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let rows = try #require(file["rows"] as? [NSDictionary])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as! String, $0) })
        }
        var (old, new) = (try rows(before), try rows(try read("overview.json")))
        #expect(old.removeValue(forKey: "churn-python") != new.removeValue(forKey: "churn-python"))
        #expect(old == new && old.count == 5)
        #expect(
            try read("summary.md").contains("churn-python")
                && read("metrics.prom").contains("retrain_last_run_status{schedule=\"churn-python\",status=\"rejected\"} 1"))
        // And a full write afterwards agrees with it.
        #expect(try writer.write(sources()) == [])
    }

    @Test mutating func oneRowIsSplicedIntoTheFilesAWholeWriteOfTheSameRowsWrites() throws {
        try writer.write(sources())
        let old = try #require(OverviewFile(Array(try read("overview.json").utf8))).rows
        // A run that changes a row's status (and so its place in the summary), a schedule new
        // before every other, one after every other.
        fixture.finish(fixture.specs[2], "20261215T020000Z", ["score": 0.4, "loss": 0.3])
        try ledger.append([("churn-python", [fixture.histories["churn-python"]!.last!])])
        fixture.specs.append(ReportFixture.spec("aaa-first", "model: first\ncommand: [x]\nstart: 2026-11-01\nrepeat: daily\n"))
        fixture.specs.append(ReportFixture.spec("zzz-last", "model: zed\ncommand: [x]\nstart: 2026-11-01\nrepeat: daily\n"))
        for id in ["churn-python", "aaa-first", "zzz-last"] {
            let overview = try #require(sources().overviews.first { $0.id == id })
            let row = writer.refresh(overview, cached: nil, force: true, sources: sources(), allMetrics: false).row
            let splice = try #require(OverviewSplice(folder: root + "/reports"))
            let files = try #require(splice.files(with: row))
            var rows = old.filter { $0.id != id } + [row]
            rows.sort { codePointLess($0.id, $1.id) }
            let set = ReportSet(now: ReportFixture.now, rows: rows)
            let expected = [
                "overview.json": OverviewFile(rows: rows, reusing: nil).text, "summary.md": SummaryReport.markdown(set),
                "metrics.prom": PrometheusReport.text(set), "index.html": Dashboard.html(set),
            ]
            #expect(files.map(\.0) == ["overview.json", "summary.md", "metrics.prom", "index.html"])
            for (name, bytes) in files { #expect(String(decoding: bytes, as: UTF8.self) == expected[name], "\(id): \(name)") }
        }
        // Through the writer: what it writes is what a whole write writes next.
        try writer.write(sources())
        fixture.finish(fixture.specs[2], "20261216T020000Z", ["score": 0.7, "loss": 0.1])
        try ledger.append([("churn-python", [fixture.histories["churn-python"]!.last!])])
        let one = try #require(sources().overviews.first { $0.id == "churn-python" })
        #expect(try writer.writeOne(one, sources: sources())?.contains("metrics.prom") == true)
        let fresh = ReportWriter(folder: root + "/reports")
        #expect(try fresh.write(sources()) == [])
    }

    @Test func filesThatDoNotAgreeAreNotSpliced() throws {
        try writer.write(sources())
        #expect(OverviewSplice(folder: root + "/reports") != nil)
        let page = try read("index.html")
        // A data line gone from index.html (a write that failed half-way): the rows do not agree.
        let cut = page.components(separatedBy: "\n").filter { !$0.hasPrefix("[\"churn-python\"") }
        #expect(cut.count == page.components(separatedBy: "\n").count - 1)
        try cut.joined(separator: "\n").write(toFile: root + "/reports/index.html", atomically: false, encoding: .utf8)
        #expect(OverviewSplice(folder: root + "/reports") == nil)
        try page.write(toFile: root + "/reports/index.html", atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: root + "/reports/metrics.prom")
        #expect(OverviewSplice(folder: root + "/reports") == nil)
    }

    @Test func overviewRowsWrittenByHandReadBackTheSame() throws {
        struct File: Decodable {
            var version: Int
            var rows: [OverviewRow]
        }
        let rows = fixture.set.rows
        let text = OverviewFile(rows: rows, reusing: nil).text
        let file = try JSONReader.decode(File.self, from: Array(text.utf8))
        #expect(file.rows == rows && file.version == 1)
        // Read back a line at a time, and written again from the lines read.
        let read = try #require(OverviewFile(Array(text.utf8)))
        #expect(read.rows == rows && OverviewFile(rows: rows, reusing: read).text == text)
        #expect(OverviewFile(Array(text.dropLast(3).utf8)) == nil)
    }

    @Test func theModelsLinkClimbsOutOfTheReportsFolder() {
        #expect(ReportWriter.link(reports: "reports", models: "models", root: "/r") == "../../models")
        #expect(ReportWriter.link(reports: "./out/reports", models: "./models", root: "/r") == "../../../models")
        #expect(ReportWriter.link(reports: "/srv/reports", models: "models", root: "/r") == "/r/models")
        #expect(ReportWriter.link(reports: "../reports", models: "models", root: "/r") == "/r/models")
    }
}
