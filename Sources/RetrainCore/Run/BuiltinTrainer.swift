import Crypto
import FoundationEssentials
import RetrainML

/// The built-in trainer as a run uses it: the catalogue's parameters turned into a training
/// configuration, the CSV read (and hashed on the way), the model trained, and the artifact and
/// metrics written. `retrain train` is this, behind the external-trainer contract.
public enum BuiltinTrainer {
    /// One training job.
    public struct Job: Sendable {
        /// A built-in model's name.
        public var model: String
        /// The CSV, as a path to open.
        public var data: String
        /// The CSV as people should see it in messages and the artifact.
        public var dataDisplay: String
        public var target: String
        public var features: [String]?
        /// `params`, as the schedule gives them (defaults fill the rest).
        public var params: [JSONValue.Member]
        /// The folder for `model.json`.
        public var output: String
        /// Where the metrics JSON goes, if anywhere.
        public var metrics: String?
        /// Where to write the rows trained on and held out, if anywhere (to score another tool on
        /// the same rows): `{"splits": {"SEED": {"train": [...], "test": [...]}}}`, 0-based data rows.
        public var splitFile: String?
        /// The champion's artifact folder (or its model.json), to score on the same holdout rows.
        public var champion: String?

        public init(
            model: String, data: String, dataDisplay: String, target: String, features: [String]?, params: [JSONValue.Member], output: String,
            metrics: String?, splitFile: String? = nil, champion: String? = nil
        ) {
            self.model = model
            self.data = data
            self.dataDisplay = dataDisplay
            self.target = target
            self.features = features
            self.params = params
            self.output = output
            self.metrics = metrics
            self.splitFile = splitFile
            self.champion = champion
        }
    }

    /// What a run made: the model, and the champion's metrics on the same holdout rows (or why the
    /// champion could not be scored on them).
    public struct Trained: Sendable {
        public var model: Model
        public var champion: ChampionScore?
    }

    /// The champion judged on the challenger's holdout: its metrics, or why there are none.
    public enum ChampionScore: Sendable, Equatable {
        case scored([String: Double])
        case unscored(String)
    }

    /// The artifact's file name inside the output folder.
    public static let artifactName = "model.json"

    /// The configuration for `model` with `params` over the catalogue's defaults; a clear error for
    /// an unknown model or parameter, or a value of the wrong type or out of range.
    public static func config(model: String, target: String, features: [String]?, params: [JSONValue.Member]) throws(TrainingError) -> TrainingConfig
    {
        guard let builtin = ModelCatalogue.model(named: model) else {
            throw TrainingError("'\(model)' is not a built-in model; the built-in models are \(ModelCatalogue.names.joined(separator: ", "))")
        }
        let task: TrainingConfig.Task =
            switch builtin.task {
            case .binary: .binary
            case .regression: .regression
            case .multiclass: .multiclass
            }
        var config = TrainingConfig(task: task, target: target, features: features)
        var given: [String: JSONValue] = [:]
        for member in params { given[member.key] = member.value }
        for name in given.keys.sorted() where ModelCatalogue.parameter(named: name) == nil {
            throw TrainingError(
                "params: '\(name)' is not a parameter of the built-in models; they take \(ModelCatalogue.parameters.map(\.name).joined(separator: ", "))"
            )
        }
        for info in ModelCatalogue.parameters {
            let value = given[info.name] ?? JSONValue(info.defaultValue)
            func number() throws(TrainingError) -> Double {
                let n: Double
                switch value {
                case .int(let i): n = Double(i)
                case .number(let d) where info.kind == .number || d == d.rounded(): n = d
                default: throw TrainingError("params: '\(info.name)' must be \(info.kind == .integer ? "an integer" : "a number")")
                }
                guard n >= info.minimum, n <= info.maximum else {
                    throw TrainingError(
                        "params: '\(info.name)' is \(JSONValue.short(n)); it must be between \(JSONValue.short(info.minimum)) and \(JSONValue.short(info.maximum))"
                    )
                }
                return n
            }
            switch info.name {
            case "epochs": config.epochs = Int(try number())
            case "batch_size": config.batchSize = Int(try number())
            case "learning_rate": config.learningRate = try number()
            case "l2": config.l2 = try number()
            case "validation_split": config.validationSplit = try number()
            case "early_stopping_patience": config.earlyStoppingPatience = Int(try number())
            case "seed": config.seed = UInt64(try number())
            case "hidden_layers":
                guard case .array(let items) = value else { throw TrainingError("params: 'hidden_layers' must be a list of integers, like [32, 16]") }
                var layers: [Int] = []
                for item in items {
                    guard case .int(let units) = item, Double(units) >= info.minimum, Double(units) <= info.maximum else {
                        throw TrainingError(
                            "params: 'hidden_layers' must list integers from \(JSONValue.short(info.minimum)) to \(JSONValue.short(info.maximum))")
                    }
                    layers.append(units)
                }
                config.hiddenLayers = layers
            default: break
            }
        }
        return config
    }

    /// Reads, trains, writes `model.json` (and the metrics file): the whole job. `log` gets progress
    /// lines. With a champion, it is scored on the new model's holdout rows, and the metrics file
    /// gets its metrics as a `champion` object (or why not, as `champion_unscored`).
    public static func run(_ job: Job, log: (String) -> Void) throws(TrainingError) -> Trained {
        let config = try config(model: job.model, target: job.target, features: job.features, params: job.params)
        var champion: Model? = nil
        var championScore: ChampionScore? = nil
        if let path = job.champion {
            do {
                champion = try load(path)
            } catch {
                championScore = .unscored("cannot read its artifact: \(error)")
            }
        }
        // The champion's inputs are read too (the new model may list fewer features).
        var keep = Trainer.columns(config)
        if let champion, keep != nil { keep!.formUnion(champion.preprocessing.columnNames + [champion.target]) }
        var hasher = SHA256()
        var bytes = 0
        let table: CSVTable
        do {
            table = try CSVReader.read(job.data, display: job.dataDisplay, keep: keep) { block in
                hasher.update(bufferPointer: block)
                bytes += block.count
            }
        } catch {
            throw TrainingError("data: \(error)")
        }
        let sha = hasher.finalize().map { String($0, radix: 16).leftPadded(2) }.joined()
        log("read \(job.dataDisplay): \(table.rowCount) rows, \(table.header.count) columns, sha256 \(sha.prefix(12))…")
        var rows: (train: [Int], holdout: [Int]) = ([], [])
        var model = try Trainer.train(table, config: config, file: job.dataDisplay, split: { rows = ($0, $1) }, log: log)
        model.data = Model.DataSource(file: job.dataDisplay, sha256: sha, bytes: bytes, rows: table.rowCount)
        model.trainedBy = "retrain \(RetrainVersion.current)"
        let metrics = model.metrics
        log("trained \(job.model): " + JSONValue.metricsLine(metrics))
        if let champion {
            do {
                let scored = try champion.score(table, rows: rows.holdout)
                championScore = .scored(scored)
                log(
                    "champion on the same \(rows.holdout.count) holdout rows: \(JSONValue.metricsLine(scored)) (recorded: \(JSONValue.metricsLine(champion.metrics)))"
                )
            } catch {
                championScore = .unscored("\(error)")
            }
        }
        if case .unscored(let why)? = championScore { log("champion not scored on this holdout: \(why); gates use its recorded score") }
        guard SourceFile.makeFolders(job.output) else { throw TrainingError("cannot create the output folder \(job.output)") }
        do {
            try AtomicFile.writeJSON(model, to: job.output + "/" + artifactName)
            if let path = job.metrics {
                var file = metrics.keys.sorted().map { JSONValue.Member($0, .number(metrics[$0]!)) }
                switch championScore {
                case .scored(let scored)?:
                    file.append(JSONValue.Member("champion", .object(scored.keys.sorted().map { JSONValue.Member($0, .number(scored[$0]!)) })))
                case .unscored(let why)?: file.append(JSONValue.Member("champion_unscored", .string(why)))
                case nil: break
                }
                try AtomicFile.writeJSON(JSONValue.object(file), to: path)
            }
            if let path = job.splitFile {
                let split = JSONValue.object([
                    "splits": .object([
                        JSONValue.Member(
                            String(config.seed),
                            .object([
                                "train": .array(rows.train.map(JSONValue.int)), "test": .array(rows.holdout.map(JSONValue.int)),
                            ]))
                    ])
                ])
                try AtomicFile.write(Array((split.compact + "\n").utf8), to: path, durable: false)
            }
        } catch {
            throw TrainingError("\(error)")
        }
        return Trained(model: model, champion: championScore)
    }

    /// Reads an artifact: `path` is `model.json` or the folder holding it.
    public static func load(_ path: String) throws(TrainingError) -> Model {
        let file = path.hasSuffix(".json") ? path : path + "/" + artifactName
        let bytes: [UInt8]
        switch SourceFile.read(file, limit: 1 << 30) {
        case .success(let b): bytes = b
        case .failure(.missing):
            throw TrainingError("\(file): no such model file; give a model folder (models/<schedule>/<run-id>) or its model.json")
        case .failure(let other): throw TrainingError("\(file): cannot read it: \(other)")
        }
        // One decode on the way that matters; the header is looked at on its own only when the
        // whole does not decode, to say why.
        struct Header: Decodable {
            var format: String?
            var formatVersion: Int?
            enum CodingKeys: String, CodingKey {
                case format
                case formatVersion = "format_version"
            }
        }
        func check(_ format: String?, _ version: Int?) throws(TrainingError) {
            guard format == Model.formatName else { throw TrainingError("\(file): not a retrain model (no \"format\": \"\(Model.formatName)\")") }
            if let version, version > Model.currentFormatVersion {
                throw TrainingError(
                    "\(file): model format \(version) is newer than this retrain reads (\(Model.currentFormatVersion)); use a newer retrain")
            }
        }
        let data = Data(bytes)
        let model: Model
        do {
            model = try JSONDecoder().decode(Model.self, from: data)
        } catch {
            let header = try? JSONDecoder().decode(Header.self, from: data)
            try check(header?.format, header?.formatVersion)
            throw TrainingError("\(file): the model file is damaged (\(error)); train it again")
        }
        try check(model.format, model.formatVersion)
        return model
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
