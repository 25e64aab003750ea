import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct PlannerInputTests {
    /// The planner's shortcut (every state entry has its schedule) counts schedules found in the
    /// state; a schedule given twice must not hide an orphan from it.
    @Test func aScheduleGivenTwiceDoesNotHideAnOrphan() {
        let a = spec("a", "start: 2026-11-01 02:00\nrepeat: daily\n")
        let state = [
            "a": seen(a, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T02:00:00Z"),
            "z": seen(a, anchor: "2026-11-01T00:00:00Z", lastSlot: "2026-11-25T02:00:00Z"),
        ]
        #expect(planLines([a, a], state: state, now: "2026-11-25T09:00:00Z").contains("z orphan file_deleted"))
    }
}
