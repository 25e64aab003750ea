/// A trained model: everything `retrain predict` needs to score new rows exactly as training did
/// (the preprocessing, the network, the target's scaling and classes), and what it scored.
public struct Model: Codable, Sendable, Equatable {
    /// The regression target's standardisation, undone on every prediction.
    public struct TargetScaling: Codable, Sendable, Equatable {
        public var mean: Double
        public var scale: Double
    }

    /// Identifies the file kind.
    public var format = Model.formatName
    /// The artifact's format version.
    public var formatVersion = Model.currentFormatVersion
    public var task: TrainingConfig.Task
    /// The column it predicts.
    public var target: String
    /// Class names in index order (the positive class of a binary model is the second).
    public var classes: [String]?
    public var preprocessing: Preprocessing
    public var targetScaling: TargetScaling?
    public var network: Network
    /// The parameters it was trained with.
    public var config: TrainingConfig
    /// Holdout metrics.
    public var metrics: [String: Double]
    public var summary: Trainer.Summary
    /// The data it was trained on, when the caller recorded it.
    public var data: DataSource?
    /// The program that trained it (`retrain 0.2.0`), when the caller recorded it.
    public var trainedBy: String?

    /// A data file as training read it.
    public struct DataSource: Codable, Sendable, Equatable {
        /// The path as given.
        public var file: String
        /// Lower-case hex SHA-256 of its bytes.
        public var sha256: String
        public var bytes: Int
        /// Data rows (records after the header).
        public var rows: Int

        public init(file: String, sha256: String, bytes: Int, rows: Int) {
            self.file = file
            self.sha256 = sha256
            self.bytes = bytes
            self.rows = rows
        }
    }

    public static let formatName = "retrain-model"
    public static let currentFormatVersion = 1

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case task, target, classes, preprocessing
        case targetScaling = "target_scaling"
        case network, config, metrics, summary, data
        case trainedBy = "trained_by"
    }

    /// What `predict` gives per row.
    public struct Predictions: Sendable, Equatable {
        /// The predicted value (regression) or class name.
        public var labels: [String]
        /// The predicted number per row (regression), else empty.
        public var values: [Double]
        /// Per row, the probability of each class (classification), else empty.
        public var probabilities: [[Double]]
    }

    /// Scores every row of `table`, which must hold the model's input columns (read it with
    /// `preprocessing.readTypes`). A missing column is an error; extra columns are ignored.
    public func predict(_ table: CSVTable, file: String) throws(TrainingError) -> Predictions {
        for name in preprocessing.columnNames where table.column(name) == nil {
            throw TrainingError(
                "\(file): the model needs the column '\(name)', which is not in the header; the columns are \(table.header.joined(separator: ", "))")
        }
        let rows = Array(0..<table.rowCount)
        var x = [Float](repeating: 0, count: rows.count * preprocessing.width)
        x.withUnsafeMutableBufferPointer { preprocessing.encode(table, rows: rows, into: $0.baseAddress!) }
        let out = x.withUnsafeBufferPointer { network.predict($0.baseAddress!, rows: rows.count) }
        switch task {
        case .regression:
            let scaling = targetScaling ?? TargetScaling(mean: 0, scale: 1)
            let values = out.map { $0 * scaling.scale + scaling.mean }
            return Predictions(labels: values.map { "\($0)" }, values: values, probabilities: [])
        case .binary, .multiclass:
            let names = classes ?? []
            let k = network.sizes.last!
            var labels: [String] = []
            var probabilities: [[Double]] = []
            for r in rows {
                let p = k == 1 ? [1 - out[r], out[r]] : Array(out[(r * k)..<((r + 1) * k)])
                var best = 0
                for j in p.indices where p[j] > p[best] { best = j }
                // A binary model says the positive class at probability 0.5 and above, as the metrics do.
                if k == 1 { best = out[r] >= 0.5 ? 1 : 0 }
                labels.append(best < names.count ? names[best] : "\(best)")
                probabilities.append(p)
            }
            return Predictions(labels: labels, values: [], probabilities: probabilities)
        }
    }
}
