import ArgumentParser
import Glibc
import RetrainCore

/// `retrain new ID --model M --start T`: writes a valid, commented schedule file.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new, commented schedule file (it never overwrites one).",
        discussion: """
            Example:
              retrain new churn --model attrition --start 2026-12-01 --repeat weekly
            """
    )

    @Argument(help: "The schedule id: 1-63 of a-z, 0-9, '-' and '_', starting with a letter or digit.")
    var id: String

    @Option(help: "A built-in model (see `retrain models`) or any name with --command.")
    var model: String

    @Option(help: "First run, local time: YYYY-MM-DD or 'YYYY-MM-DD HH:MM'.")
    var start: String

    @Option(name: .customLong("repeat"), help: "once, daily, weekly, monthly, a cron expression or @daily…")
    var repeatRule: String = "once"

    @Option(help: "IANA time zone.")
    var timezone: String = "UTC"

    @Option(help: "An external trainer command, words separated by spaces (run without a shell).")
    var command: String?

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var repository: RepositoryOptions

    func validate() throws {
        guard ScheduleLoader.isValidID(id) else {
            throw ValidationError(
                "'\(id)' is not a valid schedule id: use 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit")
        }
    }

    func run() throws {
        let (config, _) = repository.loadConfig()
        let settings = config ?? RepositoryConfig()
        let folder = repository.schedules ?? settings.schedules
        let path = folder + "/" + id + ".yaml"
        let argv = command.map { $0.split(separator: " ").map(String.init) }
        let text = ScheduleTemplate.render(id: id, model: model, start: start, repeatRule: repeatRule, timezone: timezone, command: argv)
        let loaded = ScheduleLoader.decode(bytes: Array(text.utf8), path: path, id: id, context: settings.validationContext)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            // The options were wrong: show what the file would have said, and write nothing.
            let renderer = DiagnosticRenderer(colour: Output.colour(forStderr: true))
            let shown = errors.map(renderer.render).joined()
            throw CommandError("the schedule would not be valid, nothing written:\n" + shown.dropLast(shown.hasSuffix("\n") ? 1 : 0), exitCode: 2)
        }
        _ = SourceFile.makeFolders(folder)
        try RepositoryInit.create(path, text, display: path, exists: "it already exists; choose another id or edit the file")
        try Output.render(NewResult(id: id, path: path), as: format)
    }
}

/// What `retrain new` wrote.
struct NewResult: Presentable {
    var id: String
    var path: String

    func table() -> String { "wrote \(path)\nnext: review it, run `retrain validate \(path)`, and commit it in a pull request\n" }

    var payload: Payload { Payload(id: id, path: path, next: "retrain validate \(path)") }

    struct Payload: Encodable {
        var id: String
        var path: String
        var next: String
    }
}
