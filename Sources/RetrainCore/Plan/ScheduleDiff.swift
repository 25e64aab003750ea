/// What a change to the schedules folder does, schedule by schedule: for pull-request comments.
public struct ScheduleDiff: Sendable {
    /// One changed field: its dotted path and both values as compact JSON.
    public struct FieldChange: Sendable, Equatable {
        /// `params.learning_rate`.
        public let field: String
        /// The value before, or nil when the field was absent.
        public let before: String?
        /// The value after, or nil when the field is gone.
        public let after: String?
    }

    /// A schedule present on both sides that differs.
    public struct Change: Sendable {
        /// The schedule id.
        public let id: String
        /// Field by field.
        public let fields: [FieldChange]
        /// Whether when it runs changed (it will be anchored anew).
        public let timingChanged: Bool
        /// The next slots before and after the change.
        public let nextBefore: [Instant]
        /// The next slots after the change.
        public let nextAfter: [Instant]
    }

    /// The revision compared against.
    public let base: String
    /// New schedules, with their next slots.
    public let added: [(spec: ScheduleSpec, next: [Instant])]
    /// Changed schedules.
    public let changed: [Change]
    /// Ids of deleted schedules.
    public let removed: [String]
    /// Ids whose file at the base did not validate (compared as new when valid now).
    public let invalidAtBase: [String]

    /// True when nothing changed.
    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }

    /// Compares the specs at `base` with the current ones, showing `count` next slots after `now`.
    public static func compare(base: String, before: [ScheduleSpec], invalidAtBase: [String], after: [ScheduleSpec], now: Instant, count: Int = 3)
        -> ScheduleDiff
    {
        let old = Dictionary(before.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(after.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func next(_ spec: ScheduleSpec) -> [Instant] {
            guard spec.enabled, let calculator = SlotCalculator(spec) else { return [] }
            return calculator.slots(after: now, count: count).map(\.instant)
        }
        var added: [(ScheduleSpec, [Instant])] = []
        var changed: [Change] = []
        for id in new.keys.sorted(by: codePointLess) {
            let spec = new[id]!
            guard let previous = old[id] else {
                added.append((spec, next(spec)))
                continue
            }
            guard previous.specHash != spec.specHash || previous.trigger != spec.trigger else { continue }
            let fields = fieldChanges(flatten(previous.canonicalJSON), flatten(spec.canonicalJSON))
            let timing = previous.timingHash != spec.timingHash
            changed.append(
                Change(id: id, fields: fields, timingChanged: timing, nextBefore: timing ? next(previous) : [], nextAfter: timing ? next(spec) : []))
        }
        let removed = old.keys.filter { new[$0] == nil }.sorted(by: codePointLess)
        return ScheduleDiff(base: base, added: added, changed: changed, removed: removed, invalidAtBase: invalidAtBase.sorted(by: codePointLess))
    }

    /// The schedules at `revision` (read by `reader`, decoded as the current ones are) compared with `current`.
    public static func against(
        revision: String, reader: some RevisionReader, folder: String, context: ValidationContext,
        current: [ScheduleSpec], now: Instant
    ) async throws -> ScheduleDiff {
        var before: [ScheduleSpec] = []
        var invalid: [String] = []
        for file in try await reader.scheduleFiles(at: revision, folder: folder) {
            let id = Validator.stem(of: file.name)
            let loaded = ScheduleLoader.decode(bytes: file.bytes, path: "\(revision):\(folder)/\(file.name)", id: id, context: context)
            if let spec = loaded.spec { before.append(spec) } else { invalid.append(id) }
        }
        return compare(base: revision, before: before, invalidAtBase: invalid, after: current, now: now)
    }

    static func flatten(_ value: JSONValue, prefix: String = "") -> [(String, String)] {
        switch value {
        case .object(let members):
            return members.flatMap { flatten($0.value, prefix: prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
        case .null:
            return []
        default:
            return [(prefix, value.compact)]
        }
    }

    static func fieldChanges(_ a: [(String, String)], _ b: [(String, String)]) -> [FieldChange] {
        let before = Dictionary(a, uniquingKeysWith: { x, _ in x })
        let after = Dictionary(b, uniquingKeysWith: { x, _ in x })
        return Set(before.keys).union(after.keys).sorted(by: codePointLess).compactMap { key in
            before[key] == after[key] ? nil : FieldChange(field: key, before: before[key], after: after[key])
        }
    }
}
