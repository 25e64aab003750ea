import ArgumentParser
import RetrainCore

/// `retrain next ID [--count N]`: when a schedule runs next, in UTC and local time.
struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Show the next slots of a schedule in UTC and local time, marking those DST moved or merged.",
        discussion: """
            A local time that does not exist (clocks jump forward) runs the gap's length later; one that happens twice (clocks fall back) runs once, at the first. With --all, the next slot of every schedule.

            Examples:
              retrain next attrition-weekly --count 10
              retrain next --all --format json
            """
    )

    @Argument(help: "The schedule id (its file name without .yaml).", completion: ScheduleIDCompletion.kind)
    var id: String?

    @Flag(help: "The next slot of every schedule.")
    var all = false

    @Option(help: "How many slots to show.")
    var count: Int = 5

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

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
        if all {
            let report = Validator.validate(paths: [folder], context: settings.validationContext, extra: configDiagnostics)
            Output.diagnostics(report.diagnostics)
            let rows = report.schedules.compactMap { spec in SlotCalculator(spec).map { (spec, $0, $0.slots(after: now, count: 1).first) } }
            try Output.render(NextSlots(now: now, rows: rows), as: format)
            if report.errorCount > 0 { throw ExitCode.failure }
            return
        }
        let id = id!
        let loaded = ScheduleLoader.find(id: id, in: folder, context: settings.validationContext)
        guard let spec = loaded.spec, let calculator = SlotCalculator(spec) else {
            Output.diagnostics(loaded.diagnostics)
            throw ExitCode.failure
        }
        try Output.render(ScheduleSlots(now: now, spec: spec, calculator: calculator, slots: calculator.slots(after: now, count: count)), as: format)
    }
}
