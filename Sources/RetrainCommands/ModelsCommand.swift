import ArgumentParser
import RetrainCore

/// `retrain models`: the built-in models, their metrics and parameters.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the built-in models, the metrics they report and the parameters they take.",
        discussion: """
            Examples:
              retrain models
              retrain models --format json
            """
    )

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    func run() throws {
        try Output.render(ModelList(), as: format)
    }
}
