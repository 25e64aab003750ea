import RetrainCore

/// How `retrain reconcile` shows what its session tells it: each pass on stdout (a table, a JSON
/// line each with --watch, or one JSON document at the end), the rest on stderr as text lines or,
/// with --log-format json, as JSON objects (`JSONLog`).
struct ReconcileOutput {
    let format: OutputFormat
    let watch: Bool
    /// --log-format json.
    let json: Bool
    let clock: RunningClock
    var passes = PassReport.Passes()

    mutating func show(_ event: ReconcileSession.Event) {
        switch event {
        case .pass(let plan, let results, let failures):
            let pass = PassReport(plan: plan, results: results, failures: failures)
            let acted = plan.actions.count { $0.kind != .noop }
            if json {
                JSONLog.write(
                    time: clock.now(), level: failures > 0 ? "warning" : "info", event: "pass",
                    message: "pass at \(plan.now): \(acted) action\(acted == 1 ? "" : "s"), \(failures) failure\(failures == 1 ? "" : "s")",
                    fields: [.init("actions", .int(acted)), .init("failures", .int(failures))])
            }
            if format == .json && !watch {
                passes.passes.append(pass)
            } else {
                do { try Output.render(pass, as: format, compact: true) } catch { Output.problem("reconcile", "\(error)") }
            }
        case .waiting(let ids):
            let more = ids.count > 5 ? ", …" : ""
            let message = "waiting for \(ids.count) run\(ids.count == 1 ? "" : "s"): \(ids.prefix(5).joined(separator: ", "))\(more)"
            if json {
                JSONLog.write(
                    time: clock.now(), level: "info", event: "waiting", message: message, fields: [.init("runs", .array(ids.map(JSONValue.string)))])
            } else {
                Output.stderr(message + "\n")
            }
        case .log(let line):
            if json {
                JSONLog.write(time: clock.now(), level: line.level.rawValue, event: "log", message: line.text)
            } else {
                Output.problem("reconcile", line.rendered)
            }
        }
    }

    /// The one JSON document of `--format json` without --watch.
    func finish() throws {
        if format == .json && !watch { try Output.render(passes, as: .json) }
    }
}
