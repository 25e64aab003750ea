import ArgumentParser
import FoundationEssentials
import RetrainCore
import RetrainML

#if canImport(Glibc)
    import Glibc
#endif

/// `retrain train`: one training of a built-in model, outside any schedule. Runs of built-in
/// schedules call it with no options: every option falls back to the external-trainer
/// contract's `RETRAIN_*` variable.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a built-in model on a CSV file and write the model and its holdout metrics.",
        discussion: """
            Reads the CSV (a header row; numbers and text decided per column from its first \(CSVReader.inferenceRows) rows; empty cells are missing values), holds out validation_split of the rows (stratified by class for classifiers), learns the preprocessing on the rest, trains the network with mini-batch Adam, and scores the holdout. Writes OUTPUT/model.json (preprocessing, weights, params, metrics, data sha256) for `retrain predict`, and the metrics as a JSON object to --metrics. Progress goes to stderr, the metrics to stdout.

            Each option falls back to the variable of the external-trainer contract (RETRAIN_MODEL, RETRAIN_DATA, RETRAIN_TARGET, RETRAIN_FEATURES as a JSON list, RETRAIN_PARAMS, RETRAIN_OUTPUT, RETRAIN_METRICS): a run of a built-in schedule is `retrain train` with no options.

            Example: retrain train --model attrition --data examples/data/attrition.csv --target left_company --param epochs=20 --output /tmp/attrition
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

    @Flag(help: "No progress lines.")
    var quiet = false

    func run() throws {
        func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        func required(_ value: String?, _ variable: String, _ option: String) throws -> String {
            if let value { return value }
            if let value = environment(variable), !value.isEmpty { return value }
            Output.stderr("retrain train: give \(option) (or set \(variable))\n")
            throw ExitCode.failure
        }
        let model = try required(model, "RETRAIN_MODEL", "--model")
        let data = try required(data, "RETRAIN_DATA", "--data")
        let target = try required(target, "RETRAIN_TARGET", "--target")
        let output = try required(output, "RETRAIN_OUTPUT", "--output")
        var featureList: [String]? = features.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if featureList == nil, let text = environment("RETRAIN_FEATURES") {
            guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                Output.stderr("retrain train: RETRAIN_FEATURES must be a JSON list of column names\n")
                throw ExitCode.failure
            }
            featureList = list
        }
        var members: [JSONValue.Member] = []
        if let file = params ?? environment("RETRAIN_PARAMS") {
            guard let value = SourceFile.readJSON(JSONValue.self, file), case .object(let given) = value else {
                Output.stderr("retrain train: \(file) must hold a JSON object of params\n")
                throw ExitCode.failure
            }
            members = given
        }
        for pair in paramOverrides {
            guard let equals = pair.firstIndex(of: "=") else {
                Output.stderr("retrain train: --param \(pair): write KEY=VALUE, like epochs=20\n")
                throw ExitCode.failure
            }
            let key = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
            members.removeAll { $0.key == key }
            members.append(JSONValue.Member(key, value))
        }
        let job = BuiltinTrainer.Job(
            model: model, data: data, dataDisplay: data, target: target, features: featureList, params: members,
            output: output, metrics: metrics ?? environment("RETRAIN_METRICS"), splitFile: splitFile)
        let trained: Model
        do {
            trained = try BuiltinTrainer.run(job) { line in if !quiet { Output.stderr(line + "\n") } }
        } catch {
            Output.stderr("retrain train: \(error)\n")
            throw ExitCode.failure
        }
        let names = ModelCatalogue.model(named: model)?.metrics.map(\.name) ?? trained.metrics.keys.sorted()
        Output.stdout(
            Output.table([["METRIC", "HOLDOUT"]] + names.compactMap { name in trained.metrics[name].map { [name, JSONValue.short($0)] } }) + "\n")
    }
}
