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
        return TextTable.render(table)
    }

    public func json() -> JSONValue {
        .object([
            "now": .string(now.description),
            "schedules": .array(
                rows.map { o in
                    .object([
                        "id": .string(o.id), "status": .string(o.status.rawValue),
                        "model": o.spec.map { .string($0.model) } ?? .null,
                        "repeat": o.spec.map { .string($0.repeatRule.description) } ?? .null,
                        "timezone": o.spec.map { .string($0.timezone) } ?? .null,
                        "last_run": o.lastRun.map { .string($0.id) } ?? .null,
                        "next": o.next.map { .string($0.description) } ?? .null,
                        "labels": .object((o.spec?.labels ?? []).map { JSONValue.Member($0.0, .string($0.1)) }),
                    ])
                }),
        ])
    }
}
