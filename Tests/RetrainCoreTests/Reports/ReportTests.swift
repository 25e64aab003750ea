import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct ReportTests {
    let fixture = ReportFixture()

    @Test func everyReportMatchesItsGoldenFile() throws {
        let set = fixture.set
        let attritionReport = try #require(fixture.report("attrition-weekly"))
        let attrition = try #require(attritionReport.comparison)
        try expectGolden(attrition.markdown(all: false), path: "Tests/Golden/reports/attrition-weekly.comparison.md")
        try expectGolden(attrition.json(all: false).pretty, path: "Tests/Golden/reports/attrition-weekly.comparison.json")
        let external = try #require(fixture.report("churn-python")?.comparison)
        try expectGolden(external.markdown(all: false), path: "Tests/Golden/reports/churn-python.comparison.md")
        try expectGolden(SummaryReport.markdown(set), path: "Tests/Golden/reports/summary.md")
        try expectGolden(PrometheusReport.text(set), path: "Tests/Golden/reports/metrics.prom")
        try expectGolden(Dashboard.html(set), path: "Tests/Golden/reports/index.html")
        try expectGolden(SchedulePage.html(attritionReport, models: "../../models"), path: "Tests/Golden/reports/attrition-weekly.index.html")
    }

    @Test func theComparisonIsAgainstThePreviousRunAndTheChampionItWasJudgedAgainst() throws {
        let c = try #require(fixture.report("attrition-weekly")?.comparison)
        #expect(c.run.runID == "attrition-weekly@20261115T010000Z" && c.run.status == .rejected)
        #expect(c.previous?.runID == "attrition-weekly@20261108T010000Z")
        #expect(c.champion?.runID == "attrition-weekly@20261108T010000Z")
        let auc = try #require(c.rows.first { $0.metric == "auc" })
        // Against the champion as scored on this run's holdout (0.815), its recorded 0.82 beside.
        #expect(auc.better == .higher && auc.champion?.verdict == .worse && abs(auc.champion!.change! + 0.025) < 1e-12)
        #expect(auc.championRecorded == 0.82 && c.champion?.recorded?["auc"] == 0.82)
        let loss = try #require(c.rows.first { $0.metric == "log_loss" })
        #expect(loss.better == .lower && loss.previous?.verdict == .worse)
        // accuracy moved 0.75 → 0.74: shown; every metric changed here, so --all adds nothing.
        #expect(c.shown(all: false).map(\.metric) == ["accuracy", "auc", "log_loss"])
        #expect(c.gates.map(\.held) == [true, false])
        #expect(c.markdown(all: false).contains("❌ failed: `auc >= champion.auc - 0.02` — 0.79 vs 0.795 (the champion on this holdout)"))
        #expect(c.gates.last?.basis == .sameHoldout)
    }

    @Test func unchangedMetricsAreLeftOutUnlessAll() {
        let side = { (id: String, m: [String: Double]) in Comparison.Side(runID: id, status: .completed, metrics: m) }
        let c = Comparison(
            schedule: "s", run: side("s@2", ["auc": 0.8, "f1": 0.6]), previous: side("s@1", ["auc": 0.8, "f1": 0.5]), champion: nil, spec: nil)
        #expect(c.shown(all: false).map(\.metric) == ["f1"])
        #expect(c.shown(all: true).map(\.metric) == ["auc", "f1"])
        #expect(c.markdown(all: false).contains("1 unchanged metric not shown"))
        let same = Comparison(schedule: "s", run: side("s@2", ["auc": 0.8]), previous: side("s@1", ["auc": 0.8]), champion: nil, spec: nil)
        #expect(same.markdown(all: false).contains("No metric changed"))
        // A metric of unknown direction changes without better or worse.
        let odd = Comparison(schedule: "s", run: side("s@2", ["zeta": 2]), previous: side("s@1", ["zeta": 1]), champion: nil, spec: nil)
        #expect(odd.rows[0].previous?.verdict == .changed)
    }

    @Test func theSummaryPutsProblemsFirstAndStaysUnderItsLimitWithACutOffLine() throws {
        let set = fixture.set
        let text = SummaryReport.markdown(set)
        let ids = text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Schedule") && !$0.hasPrefix("| ---") }.map {
            String($0.dropFirst(2).prefix { $0 != " " })
        }
        #expect(ids == ["duration-daily", "attrition-weekly", "broken", "churn-python", "old-model", "risk-paused"])
        let small = SummaryReport.markdown(set, limit: 1200)
        #expect(small.utf8.count <= 1200)
        #expect(small.contains("more schedules not shown"))
        #expect(small.contains("| duration-daily |"))
    }

    @Test func prometheusLabelsAreEscapedAndStatusesAreOneHot() {
        #expect(PrometheusReport.escape("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        let text = PrometheusReport.text(fixture.set)
        #expect(text.contains("retrain_last_run_status{schedule=\"duration-daily\",status=\"failed\"} 1\n"))
        #expect(text.contains("retrain_last_run_status{schedule=\"duration-daily\",status=\"completed\"} 0\n"))
        #expect(text.contains("retrain_consecutive_failures{schedule=\"duration-daily\"} 2\n"))
        #expect(text.contains("retrain_stale{schedule=\"attrition-weekly\"} 1\n"))
        #expect(text.contains("retrain_champion_metric{schedule=\"attrition-weekly\",metric=\"auc\"} 0.82\n"))
    }

    @Test func theDashboardEscapesWhatSchedulesSayAndItsDataCannotCloseTheScript() {
        #expect(Dashboard.escape("<b a=\"1\">&'") == "&lt;b a=&quot;1&quot;&gt;&amp;&#39;")
        // The rows' JSON: what a schedule file says reads back as it was, and no `<` in it can end the script.
        for said in ["</script><b>\"q\" \\ é", "two\nlines </script>", "tab\t\u{1}"] {
            var row = fixture.set.rows[0]
            row.id = "a<b"
            row.description = said
            let data = Dashboard.data(ReportSet(now: ReportFixture.now, rows: [row]))
            #expect(!data.contains("<"))
            let values = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [[Any]]
            #expect(values?.first?[0] as? String == "a<b")
            #expect(values?.first?[4] as? String == said)
        }
    }
}
