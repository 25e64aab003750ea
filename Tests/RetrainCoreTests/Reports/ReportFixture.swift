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
        // Judged against the champion scored on its holdout (0.815 here, 0.82 recorded): still rejected.
        finish(
            attrition, "20261115T010000Z", ["auc": 0.79, "log_loss": 0.47, "accuracy": 0.74],
            champion: ["auc": 0.815, "log_loss": 0.46, "accuracy": 0.74])
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
    mutating func finish(
        _ spec: ScheduleSpec, _ compact: String, _ metrics: [String: Double]?, reason: String? = nil, champion: [String: Double]? = nil
    ) {
        let slot = Instant.parse(
            String(compact.prefix(4)) + "-" + compact.dropFirst(4).prefix(2) + "-" + compact.dropFirst(6).prefix(2) + "T"
                + compact.dropFirst(9).prefix(2) + ":" + compact.dropFirst(11).prefix(2) + ":00Z")!
        var entry = state.schedules[spec.id] ?? ScheduleState(specHash: spec.specHash, timingHash: spec.timingHash, anchor: "2026-11-01T00:00:00Z")
        let run = ActiveRun(id: "\(spec.id)@\(compact)", slot: slot, executor: "local", pid: 1, host: "vm", startedAt: slot, attempt: 1)
        let end = slot.adding(95)
        var outcome = TrainerOutcome(
            status: metrics == nil ? .failed : .trained, reason: reason, exitCode: metrics == nil ? 1 : 0, metrics: metrics,
            startedAt: slot, finishedAt: end)
        outcome.championMetrics = champion
        outcome.championRun = champion.flatMap { _ in entry.champion?.id }
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
        result.champion = finished.champion
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
