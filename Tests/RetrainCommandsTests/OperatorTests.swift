import Foundation
import RetrainTestSupport
import Testing

/// `cancel`, `pause` and `resume` for real: the built binary on a scratch repository, local runs.
@Suite struct OperatorTests {
    let support = ReconcileTests()

    @Test func cancelStopsALocalRunAndWhatItStartedAndItIsNotRetried() throws {
        // The trainer leaves a child of its own behind it, in its group.
        let slow = #"[sh, -c, 'sleep 301 & echo $! > child.pid; sleep 302']"#
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule(command: slow, extra: "retries: 2\n")])
        let first = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        var child: Int32?
        for _ in 0..<200 where child == nil {
            child = (try? String(contentsOf: root.appendingPathComponent("child.pid"), encoding: .utf8)).flatMap {
                Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            usleep(20_000)
        }
        let pid = try #require(child)
        let cancel = try retrain(["cancel", "quick", "--format", "json", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let said = try #require(JSONSerialization.jsonObject(with: Data(cancel.stdout.utf8)) as? [String: Any])
        #expect(said["run"] as? String == "quick@20261125T100000Z" && said["status"] as? String == "failed")
        #expect((said["reason"] as? String)?.hasPrefix("cancelled by ") == true && said["executor"] as? String == "local")
        usleep(100_000)
        #expect(!support.isAlive(pid))
        // Recorded once, failed, with no retry; the next pass has nothing to finish or retry.
        let records = try support.history(root, "quick")
        #expect(records.count == 1 && records.first?["status"] as? String == "failed")
        #expect(try support.entry(root, "quick")["retry"] == nil && support.entry(root, "quick")["active_run"] == nil)
        let result = try support.json(root, "reports/quick/quick@20261125T100000Z/result.json")
        #expect((result["reason"] as? String)?.hasPrefix("cancelled by ") == true && (result["retry"] == nil || result["retry"] is NSNull))
        let next = try retrain(["reconcile", "--now", "2026-11-25T10:30:00Z"], in: root)
        #expect(next.status == 0 && !next.stdout.contains("quick@20261125T100000Z"), "\(next.stdout)")
        // Nothing left to cancel: an error that says so.
        let again = try retrain(["cancel", "quick", "--now", "2026-11-25T10:31:00Z"], in: root)
        #expect(again.status == 1 && again.stderr.contains("quick has no run going and no retry pending; nothing to cancel"))
    }

    @Test func cancelOfARunThatIsNotTheOneGoingIsRefused() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule(command: #"[sh, -c, 'sleep 300']"#)])
        _ = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        let wrong = try retrain(["cancel", "quick", "quick@20261124T100000Z", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(wrong.status == 1 && wrong.stderr.contains("quick@20261124T100000Z is not going; quick's run going is quick@20261125T100000Z"))
        #expect(try retrain(["cancel", "quick", "quick@20261125T100000Z", "--now", "2026-11-25T10:06:00Z"], in: root).status == 0)
    }

    @Test func pauseHoldsNewRunsWithWhoAndWhyUntilResume() throws {
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule()])
        _ = try retrain(["reconcile", "--now", "2026-11-24T12:00:00Z"], in: root)
        let pause = try retrain(["pause", "quick", "--reason", "bad data upstream (INC-7)", "--now", "2026-11-25T09:00:00Z"], in: root)
        #expect(pause.status == 0 && pause.stdout.contains("quick: paused by "), "\(pause.stderr)")
        // Due at 10:00, held: nothing starts, and every view says who and why.
        let plan = try retrain(["plan", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(plan.stdout.contains("quick     noop    paused  -     paused by "), "\(plan.stdout)")
        #expect(plan.stdout.contains("at 2026-11-25T09:00:00Z: bad data upstream (INC-7)"))
        let held = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(held.status == 0 && held.stdout.contains("nothing to do"), "\(held.stdout)")
        let list = try retrain(["list", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(list.stdout.contains(" paused ") && list.stdout.contains("quick: paused by "), "\(list.stdout)")
        let show = try retrain(["show", "quick", "--now", "2026-11-25T10:06:00Z"], in: root)
        #expect(show.stdout.contains("  paused     by ") && show.stdout.contains("bad data upstream (INC-7)"))
        let page = try String(contentsOf: root.appendingPathComponent("reports/quick/index.html"), encoding: .utf8)
        #expect(page.contains("<dt>Paused</dt>") && page.contains("bad data upstream (INC-7)"))
        #expect(try support.entry(root, "quick")["paused"] as? NSDictionary != nil)
        // Resumed: slots missed meanwhile are not run; the next one is.
        #expect(try retrain(["resume", "quick", "--now", "2026-11-25T12:00:00Z"], in: root).status == 0)
        let after = try retrain(["reconcile", "--now", "2026-11-25T12:01:00Z"], in: root)
        #expect(!after.stdout.contains("started"), "\(after.stdout)")
        let next = try retrain(["reconcile", "--wait", "--now", "2026-11-26T10:01:00Z"], in: root)
        #expect(next.stdout.contains("quick@20261126T100000Z") && next.stdout.contains("completed"), "\(next.stdout)")
        #expect(try support.history(root, "quick").map { $0["id"] as? String } == ["quick@20261126T100000Z"])
    }

    /// A container's main process: when it exits, the kernel kills its whole PID namespace, so a
    /// pass waits for the runs it started (and collects the orphans PID 1 inherits).
    @Test func aPassAsPID1OfAPIDNamespaceWaitsForItsRuns() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            Issue.record("needs root and /usr/bin/unshare (util-linux) for a PID namespace")
            return
        }
        // The trainer leaves a process behind; as PID 1's descendant it must not hold the pass.
        let trainer = #"[sh, -c, 'sleep 1; sleep 30 & echo "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#
        let root = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule(command: trainer)])
        let run = try retrain(
            ["reconcile", "--now", "2026-11-25T10:05:00Z"], in: root, wrapper: ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("note: retrain is PID 1 (a container's main process)"), "\(run.stderr)")
        #expect(run.stdout.contains("started (pid ") && run.stdout.contains("completed: auc 0.9"), "\(run.stdout)")
        #expect(try support.history(root, "quick").map { $0["status"] as? String } == ["completed"])
        // Without a namespace, the same pass leaves the run to a later one.
        let plain = try support.repository(["schedules/quick.yaml": ReconcileTests.schedule(command: trainer)])
        let detached = try retrain(["reconcile", "--now", "2026-11-25T10:05:00Z"], in: plain)
        #expect(detached.status == 0 && !detached.stdout.contains("completed") && !detached.stderr.contains("PID 1"))
    }
}
