import ArgumentParser
import Glibc
import RetrainCore
import RetrainML

/// `retrain train`: one training of a built-in model, outside any schedule. Runs of built-in
/// schedules call it with no options: every option falls back to the external-trainer
/// contract's `RETRAIN_*` variable.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in model on a CSV file and write the model and its holdout metrics.",
        discussion: """
            Reads the CSV (a header row; numbers and text decided per column from its first \(CSVReader.inferenceRows) rows; empty cells are missing values), holds out validation_split of the rows (stratified by class for classifiers), learns the preprocessing on the rest, trains the network with mini-batch Adam, and scores the holdout. Writes OUTPUT/model.json (preprocessing, weights, params, metrics, data sha256) for `retrain predict`, and the metrics as a JSON object to --metrics. Progress goes to stderr, the metrics to stdout.

            Each option falls back to the variable of the external-trainer contract (RETRAIN_MODEL, RETRAIN_DATA, RETRAIN_TARGET, RETRAIN_FEATURES as a JSON list, RETRAIN_PARAMS, RETRAIN_OUTPUT, RETRAIN_METRICS, RETRAIN_CHAMPION): a run of a built-in schedule is `retrain train` with no options.

            Example:
              retrain train --model attrition --data data.csv --target left --output /tmp/m
            """
    )

    @Option(help: ArgumentHelp("The built-in model: \(ModelCatalogue.names.joined(separator: ", ")).", valueName: "NAME"))
    var model: String?

    @Option(help: ArgumentHelp("The CSV file to train on.", valueName: "CSV"))
    var data: String?

    @Option(help: "The column to predict.")
    var target: String?

    @Option(help: ArgumentHelp("Input columns, comma-separated (default: every other column).", valueName: "A,B,…"))
    var features: String?

    @Option(help: ArgumentHelp("A JSON file of params (as a schedule's `params:`).", valueName: "FILE"))
    var params: String?

    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("One parameter, over --params: epochs=20, hidden_layers=[32,16]. Repeatable.", valueName: "KEY=VALUE"))
    var paramOverrides: [String] = []

    @Option(help: ArgumentHelp("The folder for model.json.", valueName: "DIR"))
    var output: String?

    @Option(help: ArgumentHelp("Also write the metrics JSON here.", valueName: "FILE"))
    var metrics: String?

    @Option(
        help: ArgumentHelp(
            "Also write the 0-based data rows trained on and held out, as JSON ({\"splits\": {SEED: {train, test}}}), to score another tool on the same rows.",
            valueName: "FILE"))
    var splitFile: String?

    @Option(
        help: ArgumentHelp(
            "A champion's model folder (or model.json) to score on the same holdout rows; its metrics go to --metrics as a `champion` object.",
            valueName: "DIR"))
    var champion: String?

    @Option(help: "Output format: table or json (the model, its folder and the holdout metrics).", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @Flag(help: "No progress lines.")
    var quiet = false

    func run() throws {
        var options = TrainOptions()
        (options.model, options.data, options.target, options.features) = (model, data, target, features)
        (options.params, options.paramOverrides, options.output) = (params, paramOverrides, output)
        (options.metrics, options.splitFile, options.champion) = (metrics, splitFile, champion)
        let job = try options.job { name in getenv(name).map { String(cString: $0) } }
        let run = try CommandError.from { try BuiltinTrainer.run(job) { line in if !quiet { Output.stderr(line + "\n") } } }
        let names = ModelCatalogue.model(named: job.model)?.metrics.map(\.name) ?? run.model.metrics.keys.sorted()
        let metrics = names.compactMap { name in run.model.metrics[name].map { (key: name, value: $0) } }
        var result = TrainResult(model: job.model, output: job.output, metrics: metrics)
        if case .scored(let scored)? = run.champion { result.champion = scored }
        try Output.render(result, as: format)
    }
}
