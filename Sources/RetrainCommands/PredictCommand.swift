import ArgumentParser
import RetrainCore
import RetrainML

/// `retrain predict`: scores new rows with a trained model, exactly as training encoded them.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score the rows of a CSV file with a trained built-in model.",
        discussion: """
            The CSV needs the model's input columns (any order; other columns, the target among them, are ignored). Missing cells get the training median or most frequent value, text never seen in training encodes as zeros, as in training. Writes one row per input row: `row` (the data row's number), `prediction`, and for classifiers `probability_<class>` for each class.

            --schedule ID scores with the schedule's champion (models/ID/champion.json names it), so nobody has to look up its folder.

            Examples:
              retrain predict --schedule churn --input new.csv
              retrain predict --model models/churn/churn@20261201T010000Z --input new.csv
            """
    )

    @Option(help: ArgumentHelp("The model folder (models/<schedule>/<run-id>) or its model.json.", valueName: "PATH"))
    var model: String?

    @Option(help: ArgumentHelp("Score with this schedule's champion instead of --model.", valueName: "ID"), completion: ScheduleIDCompletion.kind)
    var schedule: String?

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The CSV to score.", valueName: "CSV"))
    var input: String

    @Option(help: ArgumentHelp("Where to write the predictions (default: standard output).", valueName: "CSV"))
    var output: String?

    func validate() throws {
        guard (model == nil) != (schedule == nil) else { throw ValidationError("give --model PATH or --schedule ID (one of them)") }
    }

    func run() throws {
        let path = try model ?? championFolder(schedule!)
        do {
            let trained = try BuiltinTrainer.load(path)
            let types = trained.preprocessing.readTypes
            let table = try CSVReader.read(input, keep: Set(types.keys), types: types)
            let predictions = try trained.predict(table, file: input)
            var text = "row,prediction" + (trained.classes ?? []).map { ",\(PredictCommand.field("probability_" + $0))" }.joined() + "\n"
            for row in 0..<table.rowCount {
                text += "\(row + 1),\(PredictCommand.field(predictions.labels[row]))"
                if !predictions.probabilities.isEmpty {
                    for p in predictions.probabilities[row] { text += ",\(p)" }
                }
                text += "\n"
            }
            if let output {
                try AtomicFile.write(Array(text.utf8), to: output, durable: false)
                Output.problem("predict", "\(table.rowCount) rows scored into \(output)")
            } else {
                Output.stdout(text)
            }
        } catch {
            throw CommandError(error)
        }
    }

    /// The model folder of schedule `id`'s champion, from `<models>/<id>/champion.json`.
    func championFolder(_ id: String) throws(CommandError) -> String {
        let settings = repository.loadConfig().0 ?? RepositoryConfig()
        let file = "\(settings.models)/\(id)/champion.json"
        guard let champion = SourceFile.readJSON(Reconciler.Champion.self, file) else {
            let known = SourceFile.exists(settings.models + "/" + id)
            throw CommandError(
                known
                    ? "\(id) has no champion yet (\(file) is missing): no run of it has been promoted; `retrain history \(id)` shows its runs"
                    : "no models for '\(id)' in \(settings.models)/; check the id (`retrain list`), or run `retrain reconcile` first")
        }
        return champion.modelFolder
    }

    /// A CSV field, quoted when it must be.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
