import ArgumentParser
import RetrainCore

/// `retrain next ID [--count N]`: when a schedule runs next, in UTC and local time.
struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Show the next slots of a schedule in UTC and local time, marking those DST moved or merged.",
        discussion: """
            A local time that does not exist (clocks jump forward) runs the gap's length later; one that happens twice (clocks fall back) runs once, at the first. With --all, the next slot of every schedule.
            """
    )

    @Argument(help: "The schedule id (its file name without .yaml).")
    var id: String?

    @Flag(help: "The next slot of every schedule.")
    var all = false

    @Option(help: "How many slots to show.")
    var count: Int = 5

    @Option(help: "Output format: table or json.")
    var format: ListFormat = .table

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var clock: ClockOptions

    func validate() throws {
        guard (id == nil) == all else { throw ValidationError("give a schedule id, or --all for every schedule") }
        guard (1...1000).contains(count) else { throw ValidationError("--count must be from 1 to 1000") }
    }

    func run() throws {
        let now = try clock.instant()
        let (config, configDiagnostics) = repository.loadConfig()
        let settings = config ?? RepositoryConfig()
        let folder = repository.schedules ?? settings.schedules
        let renderer = DiagnosticRenderer(colour: Output.colour(forStderr: true))
        if all {
            let report = Validator.validate(paths: [folder], context: settings.validationContext, extra: configDiagnostics)
            Output.stderr(report.diagnostics.map(renderer.render).joined())
            let rows = report.schedules.compactMap { spec in SlotCalculator(spec).map { (spec, $0, $0.slots(after: now, count: 1).first) } }
            switch format {
            case .json:
                Output.stdout(
                    JSONValue.object([
                        "now": .string(now.description),
                        "schedules": .array(
                            rows.map { spec, calculator, slot in
                                .object([
                                    "id": .string(spec.id), "enabled": .bool(spec.enabled), "timezone": .string(spec.timezone),
                                    "repeat": .string(spec.repeatRule.description),
                                    "next": slot.map { Self.json($0, zone: calculator.zone) } ?? .null,
                                ])
                            }),
                    ]).pretty)
            case .table:
                var table = [["SCHEDULE", "NEXT (UTC)", "NEXT (LOCAL)", "REPEAT", "NOTE"]]
                for (spec, calculator, slot) in rows {
                    table.append([
                        spec.id, slot?.instant.description ?? "-", slot.map { $0.localDescription(in: calculator.zone) } ?? "-",
                        spec.repeatRule.description, spec.enabled ? (slot?.noteText ?? "") : "paused (enabled: false)",
                    ])
                }
                Output.stdout(Output.table(table))
            }
            if report.errorCount > 0 { throw ExitCode.failure }
            return
        }
        let id = id!
        let loaded = ScheduleLoader.find(id: id, in: folder, context: settings.validationContext)
        guard let spec = loaded.spec, let calculator = SlotCalculator(spec) else {
            Output.stderr(loaded.diagnostics.map(renderer.render).joined())
            throw ExitCode.failure
        }
        let slots = calculator.slots(after: now, count: count)
        switch format {
        case .json:
            Output.stdout(
                JSONValue.object([
                    "schedule": .string(spec.id), "timezone": .string(spec.timezone), "repeat": .string(spec.repeatRule.description),
                    "enabled": .bool(spec.enabled), "now": .string(now.description),
                    "slots": .array(slots.map { Self.json($0, zone: calculator.zone) }),
                ]).pretty)
        case .table:
            var out = "\(spec.id): \(spec.repeatRule) in \(spec.timezone), from \(spec.start)\(spec.end.map { " to \($0)" } ?? "")"
            out += spec.enabled ? "\n" : " (paused: enabled: false)\n"
            if slots.isEmpty {
                out += "no slots after \(now)\n"
            } else {
                var table = [["UTC", "LOCAL", "NOTE"]]
                for slot in slots { table.append([slot.instant.description, slot.localDescription(in: calculator.zone), slot.noteText ?? ""]) }
                out += Output.table(table)
            }
            Output.stdout(out)
        }
    }

    static func json(_ slot: Slot, zone: ZoneRules) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("utc", .string(slot.instant.description)),
            .init("local", .string(slot.localDescription(in: zone))),
            .init("scheduled_wall_time", .string(slot.wall.description)),
            .init("note", slot.noteCode.map(JSONValue.string) ?? .null),
        ]
        if let merged = slot.merged { members.append(.init("merged_wall_time", .string(merged.description))) }
        return .object(members)
    }
}
