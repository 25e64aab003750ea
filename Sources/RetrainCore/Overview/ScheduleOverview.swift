/// One schedule as `list` and `show` present it: its file's spec (if valid) joined with its state.
public struct ScheduleOverview: Sendable {
    /// What a schedule is doing, in one word.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Never seen by a reconcile.
        case new
        /// Seen, no run yet.
        case scheduled
        /// A run is in progress.
        case running
        /// The last attempt failed; another is pending (`retries`).
        case retrying
        /// The latest run's outcome.
        case completed, rejected, failed, skipped
        /// `enabled: false`, or held by an operator (`retrain pause`).
        case paused
        /// The file has errors.
        case invalid
        /// The file was deleted; its history is kept.
        case orphaned
    }

    /// The schedule id.
    public let id: String
    /// The spec, when the file is valid.
    public let spec: ScheduleSpec?
    /// The state entry, when a reconcile has seen it.
    public let state: ScheduleState?
    /// Its status.
    public let status: Status
    /// The next slot after now, when enabled and valid.
    public let next: Instant?

    /// The latest finished run.
    public var lastRun: RunBrief? { state?.lastRun }

    /// Every schedule: valid ones, invalid files, and orphaned state entries, in id order.
    public static func all(schedules: [ScheduleSpec], invalid: [String], state: StateFile, now: Instant) -> [ScheduleOverview] {
        var out: [ScheduleOverview] = []
        each(schedules: schedules, invalid: invalid, state: state) { id, spec, entry, status in
            out.append(ScheduleOverview(id: id, spec: spec, state: entry, status: status, next: spec.flatMap { next($0, entry: entry, now: now) }))
        }
        let ids = out.map(\.id)
        return ids.indices.sorted { codePointLess(ids[$0], ids[$1]) }.map { out[$0] }
    }

    /// How many schedules `all` would list with each status, without their next runs (a pass's
    /// figures count them: finding 10,000 next slots was a sixth of the CPU profile of a pass with
    /// nothing to do).
    public static func counts(schedules: [ScheduleSpec], invalid: [String], state: StateFile) -> [Status: Int] {
        var counts: [Status: Int] = [:]
        each(schedules: schedules, invalid: invalid, state: state) { _, _, _, status in counts[status, default: 0] += 1 }
        return counts
    }

    /// Each schedule `all` lists, in no order: the valid ones, then the invalid, then those only the
    /// state knows (orphaned); with its spec, its state entry and its status.
    private static func each(
        schedules: [ScheduleSpec], invalid: [String], state: StateFile, _ body: (String, ScheduleSpec?, ScheduleState?, Status) -> Void
    ) {
        var seen = Set<String>()
        for spec in schedules {
            seen.insert(spec.id)
            let entry = state.schedules[spec.id]
            body(spec.id, spec, entry, status(spec: spec, entry: entry))
        }
        for id in invalid where !seen.contains(id) {
            seen.insert(id)
            body(id, nil, state.schedules[id], .invalid)
        }
        for (id, entry) in state.schedules where !seen.contains(id) {
            body(id, nil, entry, .orphaned)
        }
    }

    /// One valid schedule with its state entry.
    public init(_ spec: ScheduleSpec, state entry: ScheduleState?, now: Instant) {
        self.init(id: spec.id, spec: spec, state: entry, status: Self.status(spec: spec, entry: entry), next: Self.next(spec, entry: entry, now: now))
    }

    /// The first slot after `now`, for an enabled schedule that is not paused.
    static func next(_ spec: ScheduleSpec, entry: ScheduleState?, now: Instant) -> Instant? {
        spec.enabled && entry?.pause == nil ? SlotCalculator(spec)?.slots(after: now, count: 1).first?.instant : nil
    }

    init(id: String, spec: ScheduleSpec?, state: ScheduleState?, status: Status, next: Instant?) {
        self.id = id
        self.spec = spec
        self.state = state
        self.status = status
        self.next = next
    }

    static func status(spec: ScheduleSpec, entry: ScheduleState?) -> Status {
        guard spec.enabled else { return .paused }
        guard let entry else { return .new }
        if entry.activeRun != nil { return .running }
        if entry.pause != nil { return .paused }
        if entry.retry != nil { return .retrying }
        return entry.lastRun.flatMap { Status(rawValue: $0.status.rawValue) } ?? .scheduled
    }

    /// Whether the schedule has label `key` with `value`.
    public func hasLabel(_ key: String, _ value: String) -> Bool {
        spec?.labels.contains { $0.0 == key && $0.1 == value } ?? false
    }
}
