import RetrainTestSupport
import Testing

@testable import RetrainBase

@Suite struct LocalTimeResolutionTests {
    /// Expected instants from Python's zoneinfo with PEP 495 fold=0, the rule DESIGN.md sets.
    @Test(arguments: [
        ("Europe/Madrid", "2027-03-27 02:30", "2027-03-27T01:30:00Z", LocalTimeResolution.Kind.exact),
        ("Europe/Madrid", "2027-03-28 02:30", "2027-03-28T01:30:00Z", .skippedForward(seconds: 3600)),
        ("Europe/Madrid", "2027-03-29 02:30", "2027-03-29T00:30:00Z", .exact),
        ("Europe/Madrid", "2027-10-31 02:30", "2027-10-31T00:30:00Z", .firstOfTwo),
        ("Europe/Madrid", "2027-11-01 02:30", "2027-11-01T01:30:00Z", .exact),
        ("America/New_York", "2027-03-14 02:30", "2027-03-14T07:30:00Z", .skippedForward(seconds: 3600)),
        ("America/New_York", "2027-11-07 01:30", "2027-11-07T05:30:00Z", .firstOfTwo),
        ("Australia/Sydney", "2026-10-04 02:30", "2026-10-03T16:30:00Z", .skippedForward(seconds: 3600)),
        ("Australia/Sydney", "2027-04-04 02:30", "2027-04-03T15:30:00Z", .firstOfTwo),
        ("Australia/Lord_Howe", "2026-10-04 02:15", "2026-10-03T15:45:00Z", .skippedForward(seconds: 1800)),
        ("Australia/Lord_Howe", "2027-04-04 01:45", "2027-04-03T14:45:00Z", .firstOfTwo),
        // After 2037 the TZif table ends and the footer's POSIX rule takes over.
        ("Europe/Madrid", "2040-03-25 02:30", "2040-03-25T01:30:00Z", .skippedForward(seconds: 3600)),
        ("Europe/Madrid", "2040-10-28 02:30", "2040-10-28T00:30:00Z", .firstOfTwo),
        ("America/New_York", "2045-03-12 02:30", "2045-03-12T07:30:00Z", .skippedForward(seconds: 3600)),
        ("Australia/Lord_Howe", "2041-10-06 02:15", "2041-10-05T15:45:00Z", .skippedForward(seconds: 1800)),
        ("UTC", "2027-03-28 02:30", "2027-03-28T02:30:00Z", .exact),
        ("Asia/Tokyo", "2027-03-28 02:30", "2027-03-27T17:30:00Z", .exact),
    ])
    func wallTimesResolveByTheContract(zoneName: String, wall: String, expected: String, kind: LocalTimeResolution.Kind) {
        let r = zone(zoneName).resolve(local(wall))
        #expect(r.instant.description == expected)
        #expect(r.kind == kind)
    }

    @Test func aMissingTimeRunsExactly24HoursAfterTheDayBefore() {
        let z = zone("Europe/Madrid")
        let before = z.resolve(local("2027-03-27 02:30")).instant
        let gap = z.resolve(local("2027-03-28 02:30")).instant
        #expect(gap.seconds - before.seconds == 86_400)
        #expect(z.local(at: gap) == local("2027-03-28 03:30"))
    }
}
