// make bench: the zone rules retrain reads itself (RetrainBase's ZoneRules, from the TZif files)
// against Foundation's TimeZone and Calendar, on the slot math `plan` does for each schedule: the
// local date now (instant → wall time), then the wall time of today's slot and, when that has
// passed, tomorrow's (wall time → instant, by the DESIGN.md rule for gaps and overlaps).
//
//   RETRAIN_BENCH=1 swift build -c release --product RetrainZoneBench && .build/release/RetrainZoneBench [SCHEDULES] [ROUNDS]
//
// Zones as bench/gen_schedules.py deals them; one slot time per schedule. Prints the time per
// schedule and for all of them, each way, and how many slots the two ways agree on.
import Foundation
import RetrainBase

let zones = [
    "UTC", "Europe/Madrid", "Europe/London", "America/New_York", "America/Sao_Paulo", "Asia/Tokyo",
    "Asia/Kolkata", "Australia/Sydney", "Australia/Lord_Howe", "Africa/Johannesburg",
]
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let count = arguments.first ?? 10_000
let rounds = arguments.dropFirst().first ?? 5
// A deterministic spread: schedule i's zone, slot time and the instant the plan is made at (over a
// year, so DST changes fall among them).
let schedules = (0..<count).map { i in
    (zone: zones[i % zones.count], hour: (i * 7) % 24, minute: (i * 13) % 60, now: Int64(1_798_761_600 + (i * 3_163) % 31_536_000))
}

func seconds(_ body: () -> Int) -> (Double, Int) {
    var best = Double.infinity
    var result = 0
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        result = body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (best, result)
}

// Loading the rules for every zone, once, cold (both sides cache what they loaded).
func once(_ body: () -> Int) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
let loadOurs = once { zones.compactMap { TimeZoneDatabase.rules(for: $0) }.count }
let loadFoundation = once { zones.compactMap { TimeZone(identifier: $0)?.secondsFromGMT(for: Date()) }.count }

let rules = Dictionary(uniqueKeysWithValues: zones.map { ($0, TimeZoneDatabase.rules(for: $0)!) })
var slotsOurs = [Int64](repeating: 0, count: count)
let (ours, _) = seconds {
    for (i, s) in schedules.enumerated() {
        let zone = rules[s.zone]!
        let today = zone.local(at: Instant(seconds: s.now))
        var wall = LocalDateTime(year: today.year, month: today.month, day: today.day, hour: s.hour, minute: s.minute)
        var slot = zone.resolve(wall).instant
        if slot.seconds <= s.now {
            let date = Instant(utc: LocalDateTime(year: today.year, month: today.month, day: today.day)).adding(86_400).utc
            wall = LocalDateTime(year: date.year, month: date.month, day: date.day, hour: s.hour, minute: s.minute)
            slot = zone.resolve(wall).instant
        }
        slotsOurs[i] = slot.seconds
    }
    return count
}

var calendars: [String: Calendar] = [:]
for name in zones {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: name)!
    calendars[name] = calendar
}
var slotsFoundation = [Int64](repeating: 0, count: count)
let (foundation, _) = seconds {
    for (i, s) in schedules.enumerated() {
        let calendar = calendars[s.zone]!
        let now = Date(timeIntervalSince1970: TimeInterval(s.now))
        var wall = calendar.dateComponents([.year, .month, .day], from: now)
        wall.hour = s.hour
        wall.minute = s.minute
        var slot = calendar.date(from: wall)!
        if slot <= now {
            let tomorrow = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))!
            wall = calendar.dateComponents([.year, .month, .day], from: tomorrow)
            wall.hour = s.hour
            wall.minute = s.minute
            slot = calendar.date(from: wall)!
        }
        slotsFoundation[i] = Int64(slot.timeIntervalSince1970)
    }
    return count
}

let agree = zip(slotsOurs, slotsFoundation).filter { $0 == $1 }.count
func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
func ns(_ s: Double) -> String { String(format: "%.0f ns", s * 1e9 / Double(count)) }
print("zone rules, \(count) schedules in \(zones.count) zones (best of \(rounds)):")
print("  load the \(zones.count) zones, cold: ZoneRules (TZif) \(ms(loadOurs)), Foundation TimeZone \(ms(loadFoundation))")
print(
    "  next slot of each: ZoneRules \(ms(ours)) (\(ns(ours)) a schedule), Foundation Calendar \(ms(foundation)) (\(ns(foundation)) a schedule): \(String(format: "%.1f", foundation / ours))x"
)
print(
    "  the two agree on \(agree) of \(count) slots"
        + (agree == count ? "" : " (the others: a wall time in a DST gap or overlap, where Foundation's rule differs from DESIGN.md's)"))
