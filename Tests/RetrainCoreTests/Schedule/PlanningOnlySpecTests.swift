import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct PlanningOnlySpecTests {
    @Test func aSpecKeptForPlanningPlansAsTheWholeOne() {
        let specs = [
            spec(
                "a",
                "start: 2026-11-01 02:00\nrepeat: weekly\ntimezone: Europe/Madrid\ndescription: d\nparams: {epochs: 5}\ngates: [accuracy >= 0.5]\nlabels: {t: x}\n"
            ),
            spec(
                "b",
                "start: 2026-11-20\nrepeat: daily\ncatchup: all\ndeadline: 2d\nretries: 2\ntrigger: t1\nnotify: {email: [a@example.com], stale_after: 3d}\n"
            ),
            spec("c", "start: 2026-11-24 10:00\nrepeat: \"*/30 * * * *\"\nend: 2026-12-01\nenabled: false\n"),
        ]
        var state: [String: ScheduleState] = [:]
        state["a"] = seen(specs[0], anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-08T01:00:00Z")
        state["b"] = seen(specs[1], anchor: "2026-11-19T00:00:00Z", lastSlot: "2026-11-21T00:00:00Z")
        // As Workspace keeps them for `plan`: the spec hash taken where the state has an entry whose
        // file differs (these entries have no source hash), not for a schedule it does not know.
        let slim = specs.map { $0.forPlanning(keepingSpecHash: state[$0.id] != nil) }
        for now in ["2026-11-25T10:00:00Z", "2026-12-02T00:00:00Z"] {
            #expect(planLines(slim, state: state, now: now) == planLines(specs, state: state, now: now))
        }
        // Without the hash kept, a spec kept for planning hashes differently: the planner would
        // take it for a changed spec.
        #expect(specs[0].forPlanning(keepingSpecHash: false).specHash != specs[0].specHash)
        // What it leaves out is gone; what the planner reads is there.
        let slim0 = slim[0]
        #expect(slim0.params.isEmpty && slim0.gates.isEmpty && slim0.description == nil && slim0.labels.isEmpty)
        #expect(slim0.specHash == specs[0].specHash && slim0.timingHash == specs[0].timingHash && slim0.timezone == "Europe/Madrid")
    }
}
