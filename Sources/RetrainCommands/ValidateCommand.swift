import ArgumentParser
import RetrainCore

/// `retrain validate [PATH…]`: strict checks of schedule files, for editors and CI.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check schedule files and report every problem with file:line:column.",
        discussion: """
            PATHs are files or folders (a folder contributes its *.yaml and *.yml files); the default is the schedules folder. retrain.yaml, when present, is checked too.

            Formats: text (file:line:column, the line and a caret), json, github (workflow annotations, errors first, then one summary line).

            With --data, each built-in model's data file is read too: it must exist, have the target and every listed feature in its header, and a classifier's target the classes the model needs (a regression's must be numbers). Each problem is placed at the schedule's `data:`, `target:` or feature. Every run a reconcile starts is checked the same way first.

            Exits 0 when clean, 1 when there are errors (or warnings with --strict), 2 on a usage error.

            Examples:
              retrain validate
              retrain validate schedules/attrition-weekly.yaml --format github --strict
              retrain validate --data
            """
    )

    @Argument(help: "Schedule files or folders.")
    var paths: [String] = []

    @Option(help: "Output format: text, json or github.", transform: OutputFormat.only(.text, .json, .github))
    var format: OutputFormat = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "Also read each built-in model's data file: it exists, has the target and features, and the classes the model needs.")
    var data = false

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let (config, configDiagnostics) = repository.loadConfig()
        let settings = config ?? RepositoryConfig()
        // Data files are looked at too (links out of the repository): only here, where a pull
        // request is checked; a run checks again when it starts.
        var context = settings.validationContext
        context.repositoryRoot = Workspace.currentDirectory()
        context.checksData = data
        let report =
            paths.isEmpty
            ? Workspace.validateSchedules(repository.paths, settings: settings, context: context, extra: configDiagnostics, keepSchedules: false)
            : Validator.validate(paths: paths, context: context, extra: configDiagnostics, keepSchedules: false)
        if format == .text {  // for a person: each problem with its line and a caret, on stderr
            Output.diagnostics(report.diagnostics)
        }
        try Output.render(ValidationView(report), as: format)
        if !report.passes(strict: strict) { throw ExitCode.failure }
    }
}
