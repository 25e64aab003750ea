/// `retrain list`: the schedules, one row each.
public struct ScheduleList: Presentable {
    public let now: Instant
    public let rows: [ScheduleOverview]

    public init(now: Instant, rows: [ScheduleOverview]) {
        self.now = now
        self.rows = rows
    }

    public func table() -> String {
        var table = [["SCHEDULE", "MODEL", "REPEAT", "STATUS", "LAST RUN", "NEXT (UTC)"]]
        for o in rows {
            table.append([
                o.id, o.spec?.model ?? "-", o.spec?.repeatRule.description ?? "-", o.status.rawValue,
                o.lastRun.map { "\($0.status.rawValue) \($0.at)" } ?? "-", o.next?.description ?? "-",
            ])
        }
        // Operators' holds, with who and why: a paused row alone does not say it is an incident.
        let held = rows.compactMap { o in o.state?.pause.map { "\(o.id): \($0.description)\n" } }
        return TextTable.render(table) + (held.isEmpty ? "" : "\n" + held.joined())
    }

    public var payload: Payload {
        Payload(
            now: now,
            schedules: rows.map { o in
                Payload.Row(
                    id: o.id, status: o.status.rawValue, model: o.spec?.model, repeatRule: o.spec?.repeatRule.description,
                    timezone: o.spec?.timezone, lastRun: o.lastRun?.id, next: o.next,
                    labels: KeyedValues((o.spec?.labels ?? []).map { (key: $0.0, value: $0.1) }), paused: o.state?.pause)
            })
    }

    public struct Payload: Encodable {
        public var now: Instant
        public var schedules: [Row]

        public struct Row: Encodable {
            public var id: String
            public var status: String
            public var model: String?
            public var repeatRule: String?
            public var timezone: String?
            public var lastRun: String?
            public var next: Instant?
            public var labels: KeyedValues<String>
            /// An operator's hold (`retrain pause`), nil when there is none.
            public var paused: Pause?

            enum CodingKeys: String, CodingKey {
                case id, status, model
                case repeatRule = "repeat"
                case timezone
                case lastRun = "last_run"
                case next, labels, paused
            }
        }
    }
}
