import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// A repository's worth of history, made by the same ledger the reconciler uses: a promoted run,
/// a better one, one rejected by a gate; a schedule that keeps failing; an external trainer; a paused
/// schedule; an invalid file; an orphaned entry.
struct ReportFixture {
    static let now = Instant.parse("2026-12-20T12:00:00Z")!
    var specs: [ScheduleSpec] = []
    var state = StateFile()
    var results: [String: RunResult] = [:]
    /// Each schedule's ledger.
    var histories: [String: [RunRecord]] = [:]

    init() {
        let attrition = ReportFixture.spec(
            "attrition-weekly",
            """
            model: attrition
            description: Weekly retrain of the employee attrition model
            data: a.csv
            target: left
            start: 2026-11-01 02:00
            timezone: Europe/Madrid
            repeat: weekly
            gates: [auc >= 0.70, auc >= champion.auc - 0.02]
            notify: {email: [ml@example.com], stale_after: 15d}
            labels: {team: people, tier: gold}
            """)
        let duration = ReportFixture.spec(
            "duration-daily", "model: duration\ndata: d.csv\ntarget: days\nstart: 2026-11-01 08:30\nrepeat: daily\nretries: 0\n")
        let external = ReportFixture.spec(
            "churn-python",
            "model: churn\ncommand: [python3, train.py]\ndata: c.csv\nstart: 2026-11-01 03:00\nrepeat: monthly\ngates: [score >= 0.5]\n")
        let paused = ReportFixture.spec(
            "risk-paused", "model: risk\ndata: r.csv\ntarget: level\nstart: 2026-11-01 01:00\nrepeat: daily\nenabled: false\n")
        specs = [attrition, duration, external, paused]

        finish(attrition, "20261101T010000Z", ["auc": 0.80, "log_loss": 0.45, "accuracy": 0.75])
        finish(attrition, "20261108T010000Z", ["auc": 0.82, "log_loss": 0.43, "accuracy": 0.75])
        finish(attrition, "20261115T010000Z", ["auc": 0.79, "log_loss": 0.47, "accuracy": 0.74])
        finish(duration, "20261101T073000Z", ["rmse": 3.5, "mae": 2.5, "r2": 0.9])
        finish(duration, "20261102T073000Z", nil, reason: "the trainer exited with status 1 (see log.txt)")
        finish(duration, "20261103T073000Z", nil, reason: "data file examples/data/duration.csv: line 12: 'x' in numeric column 'age'")
        finish(external, "20261201T020000Z", ["score": 0.61, "loss": 0.2])
        state.schedules["risk-paused"] = ScheduleState(specHash: paused.specHash, timingHash: paused.timingHash, anchor: "2026-11-01T00:00:00Z")
        var gone = ScheduleState(specHash: "x", timingHash: "y", anchor: "2026-10-01T00:00:00Z")
        gone.orphaned = true
        state.schedules["old-model"] = gone
    }

    static func spec(_ id: String, _ yaml: String) -> ScheduleSpec {
        let loaded = ScheduleLoader.decode(bytes: Array(yaml.utf8), path: "schedules/\(id).yaml", id: id, context: ValidationContext())
        guard let spec = loaded.spec else { fatalError("invalid fixture spec: \(loaded.diagnostics.map(\.message))") }
        return spec
    }

    /// One run of `spec` at slot `compact`, trained with `metrics` or failed with `reason`, recorded
    /// by the ledger; its result.json kept for `readResult`.
    mutating func finish(_ spec: ScheduleSpec, _ compact: String, _ metrics: [String: Double]?, reason: String? = nil) {
        let slot = Instant.parse(
            String(compact.prefix(4)) + "-" + compact.dropFirst(4).prefix(2) + "-" + compact.dropFirst(6).prefix(2) + "T"
                + compact.dropFirst(9).prefix(2) + ":" + compact.dropFirst(11).prefix(2) + ":00Z")!
        var entry = state.schedules[spec.id] ?? ScheduleState(specHash: spec.specHash, timingHash: spec.timingHash, anchor: "2026-11-01T00:00:00Z")
        let run = ActiveRun(id: "\(spec.id)@\(compact)", slot: slot, executor: "local", pid: 1, host: "vm", startedAt: slot, attempt: 1)
        let end = slot.adding(95)
        let outcome = TrainerOutcome(
            status: metrics == nil ? .failed : .trained, reason: reason, exitCode: metrics == nil ? 1 : 0, metrics: metrics,
            startedAt: slot, finishedAt: end)
        _ = RunLedger.started(&entry, run: run)
        let finished = RunLedger.finish(&entry, run: run, outcome: outcome, spec: spec, now: end)
        if var record = finished.record {
            // What the reconciler adds from the request and outcome: params (the learning rate
            // halved from the second run on), the measured duration, provenance.
            let runs = histories[spec.id]?.count ?? 0
            record.params = .object([JSONValue.Member("epochs", .int(10)), JSONValue.Member("learning_rate", .number(runs == 0 ? 0.1 : 0.05))])
            record.durationSeconds = 95.25
            record.gitCommit = "3f2a9c1d0e8b7a6f5e4d3c2b1a09f8e7d6c5b4a3"
            record.data = RunRecord.DataSummary(sha256: "9b74c9897bac770ffc029102a200c5de9b74c9897bac770ffc029102a200c5de", rows: 1200 + runs)
            histories[spec.id, default: []].append(record)
        }
        RunLedger.advance(&entry, to: slot)
        state.schedules[spec.id] = entry
        var result = RunResult(
            schedule: spec.id, runID: run.id, model: spec.model, status: finished.status, reason: finished.reason, slot: run.slot,
            trigger: "due", attempt: 1, attempts: [], startedAt: outcome.startedAt, finishedAt: outcome.finishedAt, durationSeconds: 95,
            params: .object([]), metrics: metrics, retry: nil,
            provenance: Provenance(
                gitCommit: nil, scheduleModified: nil, scheduleFile: spec.file, specHash: spec.specHash, command: nil,
                retrainVersion: "0.1.0", executor: "local"),
            data: nil, modelFolder: "models/\(spec.id)/\(run.id)", host: "vm")
        result.gates = finished.gates
        result.championBefore = finished.championBefore
        result.championAfter = finished.championAfter
        results[run.id] = result
    }

    /// Each schedule with its ledger read, in id order.
    var reports: [ScheduleReport] {
        ScheduleOverview.all(schedules: specs, invalid: ["broken"], state: state, now: Self.now).map { overview in
            ScheduleReport(overview, history: histories[overview.id] ?? [], defaultNotify: nil, now: Self.now) { _, run in results[run] }
        }
    }

    /// The overview of them.
    var set: ReportSet {
        ReportSet(now: Self.now, rows: reports.map { OverviewRow($0, source: "fixture") })
    }

    func report(_ id: String) -> ScheduleReport? { reports.first { $0.id == id } }
}

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
        #expect(auc.better == .higher && auc.champion?.verdict == .worse && abs(auc.champion!.change! + 0.03) < 1e-12)
        let loss = try #require(c.rows.first { $0.metric == "log_loss" })
        #expect(loss.better == .lower && loss.previous?.verdict == .worse)
        // accuracy moved 0.75 → 0.74: shown; every metric changed here, so --all adds nothing.
        #expect(c.shown(all: false).map(\.metric) == ["accuracy", "auc", "log_loss"])
        #expect(c.gates.map(\.held) == [true, false])
        #expect(c.markdown(all: false).contains("❌ failed: `auc >= champion.auc - 0.02` — 0.79 vs 0.8"))
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

    @Test func aStaleScheduleIsNoticedOncePerPeriodWithoutAPromotion() throws {
        let s = ReportFixture.spec(
            "s", "model: m\ncommand: [sh, x.sh]\nstart: 2026-11-01 00:00\nrepeat: daily\nnotify: {email: [a@example.com], stale_after: 10d}\n")
        var entry = ScheduleState(specHash: s.specHash, timingHash: s.timingHash, anchor: "2026-11-01T00:00:00Z")
        let day = { (d: Int) in Instant.parse("2026-11-01T00:00:00Z")!.adding(Int64(d) * 86_400) }
        // As the reconciler does: a notice records the promotion (or first sight) it was for.
        func stale(at now: Instant) -> Notice? {
            let notice = NoticeBook.stale(entry, schedule: "s", spec: s, notify: s.notify, reports: "reports", now: now)
            if notice != nil { entry.staleNoticeFor = entry.lastPromotion }
            return notice
        }
        #expect(stale(at: day(9)) == nil)
        let first = try #require(stale(at: day(11)))
        #expect(first.subject == "[retrain] s: no model promoted for 11 days" && first.email == ["a@example.com"])
        #expect(stale(at: day(20)) == nil)
        // A promotion starts a new period.
        entry.champion = RunPointer(RunRecord(id: "s@x", slot: day(21), status: .completed, attempt: 1, finishedAt: day(21)))
        #expect(stale(at: day(30)) == nil)
        #expect(stale(at: day(32)) != nil)
    }

    @Test func environmentReferencesAreExpandedOnlyInMemoryAndRedacted() throws {
        var secrets: [String] = []
        let env: (String) -> String? = { $0 == "TOKEN" ? "abc123" : nil }
        #expect(try Notifier.expand("https://h/x/${TOKEN}", environment: env, secrets: &secrets).get() == "https://h/x/abc123")
        #expect(secrets == ["abc123"])
        #expect(Notifier.redact("curl: bad https://h/x/abc123", secrets) == "curl: bad https://h/x/[secret]")
        guard case .failure(let missing) = Notifier.expand("${NOPE}", environment: env, secrets: &secrets) else {
            Issue.record("expanded")
            return
        }
        #expect(missing.description == "${NOPE}")
        #expect(Notifier.encodedHeader("plain") == "plain" && Notifier.encodedHeader("café") == "=?UTF-8?B?Y2Fmw6k=?=")
        // Every part of a secret URL a tool may print on its own is redacted, not only the whole.
        var hook: [String] = []
        let hookEnv: (String) -> String? = {
            $0 == "HOOK" ? "https://bot:pa55word@tok-9f3k2.hooks.example.com:8443/services/T0/xyzsecret?sig=s1gn4ture#frag" : nil
        }
        _ = Notifier.expand("${HOOK}", environment: hookEnv, secrets: &hook)
        #expect(
            Notifier.redact("curl: (6) Could not resolve host: tok-9f3k2.hooks.example.com", hook) == "curl: (6) Could not resolve host: [secret]")
        #expect(
            Notifier.redact("401 for bot at /services/T0/xyzsecret (sig s1gn4ture), pa55word", hook)
                == "401 for [secret] at [secret] (sig [secret]), [secret]")
        #expect(
            Notifier.redact("POST https://bot:pa55word@tok-9f3k2.hooks.example.com:8443/services/T0/xyzsecret?sig=s1gn4ture#frag failed", hook)
                == "POST [secret] failed")
    }

    /// `email.from` goes into a header: a variable holding a line break must not add headers.
    @Test func aSenderThatWouldAddHeadersIsRefusedAndNothingIsSent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-mail-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let notice = Notice(
            key: "s@x.failed", schedule: "s", event: .failed, runID: "s@x", at: "2026-11-25T00:00:00Z", subject: "s failed", text: "it failed",
            details: .object([]), email: ["team@example.com"], webhook: nil)
        func send(from value: String) async -> (Result<Int, Why>, String?) {
            let out = folder + "/message-\(UUID().uuidString)"
            let notifier = Notifier(
                sendmail: ["/bin/sh", "-c", "cat > '\(out)'"], from: "${MAIL_FROM}", environment: { $0 == "MAIL_FROM" ? value : nil })
            let result = await notifier.mail(notice, schedule: "s")
            return (result, try? String(contentsOfFile: out, encoding: .utf8))
        }
        let (refused, nothing) = await send(from: "ops@example.com\nBcc: someone@elsewhere.example")
        guard case .failure(let why) = refused else {
            Issue.record("sent: \(refused)")
            return
        }
        #expect(why.description == "email.from gives '[secret]', which is not an email address; nothing was sent")
        #expect(nothing == nil)
        let (sent, message) = await send(from: "ops@example.com")
        #expect((try? sent.get()) == 1)
        #expect(message?.hasPrefix("From: retrain <ops@example.com>\nTo: team@example.com\nSubject: s failed\n") == true)
        #expect(message?.contains("Bcc") == false)
    }
}
