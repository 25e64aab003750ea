import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct SlotCalculatorTests {
    func calculator(_ zoneName: String, start: String, repeat rule: ScheduleSpec.Repeat, end: String? = nil) -> SlotCalculator {
        SlotCalculator(zone: zone(zoneName), start: local(start), end: end.map(local), rule: rule)
    }

    func cron(_ text: String) -> ScheduleSpec.Repeat { .cron(try! CronExpression.parse(text).get()) }

    @Test func dailyAcrossSpringForwardAndFallBack() {
        let c = calculator("Europe/Madrid", start: "2027-03-01 02:30", repeat: .daily)
        let spring = c.slots(after: instant("2027-03-26T12:00:00Z"), count: 3)
        #expect(spring.map(\.instant.description) == ["2027-03-27T01:30:00Z", "2027-03-28T01:30:00Z", "2027-03-29T00:30:00Z"])
        #expect(spring.map(\.kind) == [.exact, .skippedForward(seconds: 3600), .exact])
        let fall = c.slots(after: instant("2027-10-30T12:00:00Z"), count: 2)
        #expect(fall.map(\.instant.description) == ["2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z"])
        #expect(fall.first?.kind == .firstOfTwo)
    }

    @Test func monthlyKeepsTheDayOrTheMonthsLastDay() {
        let c = calculator("UTC", start: "2027-01-31 06:00", repeat: .monthly)
        let slots = c.slots(after: instant("2027-01-01T00:00:00Z"), count: 5)
        #expect(
            slots.map(\.wall.description) == ["2027-01-31 06:00", "2027-02-28 06:00", "2027-03-31 06:00", "2027-04-30 06:00", "2027-05-31 06:00"])
        let leap = calculator("UTC", start: "2028-01-31 06:00", repeat: .monthly).slots(after: instant("2028-02-01T00:00:00Z"), count: 1)
        #expect(leap.first?.wall == local("2028-02-29 06:00"))
    }

    @Test func monthlyFarFromStartStillFindsTheLastSlot() {
        let c = calculator("Europe/Madrid", start: "2026-12-31 22:00", repeat: .monthly)
        let last = c.last(atOrBefore: instant("2076-03-15T00:00:00Z"))
        #expect(last?.wall == local("2076-02-29 22:00"))
    }

    @Test func weeklyAndOnceAndEnd() {
        let weekly = calculator("Europe/Madrid", start: "2026-12-01 02:00", repeat: .weekly, end: "2026-12-15")
        #expect(
            weekly.slots(after: instant("2026-11-25T12:00:00Z"), count: 10).map(\.instant.description)
                == ["2026-12-01T01:00:00Z", "2026-12-08T01:00:00Z", "2026-12-15T01:00:00Z"])
        let once = calculator("UTC", start: "2026-12-01", repeat: .once)
        #expect(once.slots(after: instant("2026-11-25T12:00:00Z"), count: 3).map(\.instant.description) == ["2026-12-01T00:00:00Z"])
        #expect(once.slots(after: instant("2026-12-01T00:00:00Z"), count: 3).isEmpty)
    }

    @Test func cronOnFeb29() {
        let c = calculator("UTC", start: "2026-01-01", repeat: cron("0 0 29 2 *"))
        #expect(c.slots(after: instant("2026-01-01T00:00:00Z"), count: 2).map(\.wall.description) == ["2028-02-29 00:00", "2032-02-29 00:00"])
    }

    @Test func cronWallTimesMovedOntoOthersRunOnce() {
        let c = calculator("Europe/Madrid", start: "2027-03-01", repeat: cron("*/30 * * * *"))
        let slots = c.slots(after: instant("2027-03-28T00:15:00Z"), count: 4)
        // 02:00 and 02:30 do not exist that night; moved an hour on, they land on 03:00 and 03:30.
        #expect(slots.map(\.instant.description) == ["2027-03-28T00:30:00Z", "2027-03-28T01:00:00Z", "2027-03-28T01:30:00Z", "2027-03-28T02:00:00Z"])
        #expect(slots.map(\.wall.description) == ["2027-03-28 01:30", "2027-03-28 03:00", "2027-03-28 03:30", "2027-03-28 04:00"])
        #expect(slots[1].merged == local("2027-03-28 02:00") && slots[2].merged == local("2027-03-28 02:30"))
    }

    @Test func cronHourlyFiresOnceInTheRepeatedHour() {
        let c = calculator("Europe/Madrid", start: "2027-10-01", repeat: cron("0 * * * *"))
        let slots = c.slots(after: instant("2027-10-30T23:30:00Z"), count: 3)
        #expect(slots.map(\.instant.description) == ["2027-10-31T00:00:00Z", "2027-10-31T02:00:00Z", "2027-10-31T03:00:00Z"])
        #expect(slots.map(\.wall.description) == ["2027-10-31 02:00", "2027-10-31 03:00", "2027-10-31 04:00"])
        #expect(slots[0].kind == .firstOfTwo)
    }

    @Test func cronInLordHoweMovesByHalfAnHour() {
        let c = calculator("Australia/Lord_Howe", start: "2026-09-01", repeat: cron("15 2 * * *"))
        let slot = c.slots(after: instant("2026-10-03T00:00:00Z"), count: 1).first
        #expect(slot?.instant.description == "2026-10-03T15:45:00Z")
        #expect(slot?.kind == .skippedForward(seconds: 1800))
    }

    @Test func vixieEitherDayField() {
        let c = calculator("UTC", start: "2026-03-01", repeat: cron("0 9 13 * FRI"))
        #expect(
            c.slots(after: instant("2026-03-01T00:00:00Z"), count: 4).map(\.wall.description)
                == ["2026-03-06 09:00", "2026-03-13 09:00", "2026-03-20 09:00", "2026-03-27 09:00"])
    }

    @Test(arguments: [
        (ScheduleSpec.Repeat.daily, "2026-12-10T12:00:00Z", "2026-12-10 02:00"),
        (.weekly, "2026-12-10T12:00:00Z", "2026-12-08 02:00"),
        (.monthly, "2027-03-01T00:00:00Z", "2027-02-01 02:00"),
        (.once, "2030-01-01T00:00:00Z", "2026-12-01 02:00"),
    ])
    func lastSlotAtOrBefore(rule: ScheduleSpec.Repeat, at: String, expected: String) {
        let c = calculator("Europe/Madrid", start: "2026-12-01 02:00", repeat: rule)
        #expect(c.last(atOrBefore: instant(at))?.wall == local(expected))
    }

    @Test func lastSlotBeforeTheFirstIsNone() {
        let c = calculator("Europe/Madrid", start: "2026-12-01 02:00", repeat: cron("0 2 * * *"))
        #expect(c.last(atOrBefore: instant("2026-11-30T00:00:00Z")) == nil)
        #expect(c.last(atOrBefore: instant("2026-12-03T12:00:00Z"))?.wall == local("2026-12-03 02:00"))
    }

    @Test func cronThatEndsHasNoMoreSlots() {
        let c = calculator("UTC", start: "2026-01-01", repeat: cron("0 0 1 * *"), end: "2026-03-01")
        #expect(c.slots(after: instant("2026-01-15T00:00:00Z"), count: 10).map(\.wall.description) == ["2026-02-01 00:00", "2026-03-01 00:00"])
    }
}
