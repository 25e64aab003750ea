/// Scoring a trained model on rows of another table: how a challenger's run judges the champion on
/// the same holdout, with the same metrics code as training (MLflow's `evaluate` with a baseline
/// model, TensorFlow Model Analysis's change thresholds).
extension Model {
    /// The metrics of this model on rows `rows` of `table`, whose target column holds the true
    /// values. The table must hold the model's input columns with the kinds it was trained on, and
    /// every class among the rows must be one the model knows; otherwise the error says which
    /// column or class stands in the way (the caller then falls back to the recorded score).
    public func score(_ table: CSVTable, rows: [Int]) throws(TrainingError) -> [String: Double] {
        for column in preprocessing.numeric {
            guard let found = table.column(column.name) else { throw TrainingError("its feature column '\(column.name)' is not in the data") }
            guard case .numeric = found.values else {
                throw TrainingError("its feature column '\(column.name)' held numbers when it was trained and holds text in this data")
            }
        }
        for column in preprocessing.text {
            guard let found = table.column(column.name) else { throw TrainingError("its feature column '\(column.name)' is not in the data") }
            guard case .text = found.values else {
                throw TrainingError("its feature column '\(column.name)' held text when it was trained and holds numbers in this data")
            }
        }
        guard let truth = table.column(target) else { throw TrainingError("its target column '\(target)' is not in the data") }
        guard !rows.isEmpty else { throw TrainingError("there are no rows to score it on") }
        var x = [Float](repeating: 0, count: rows.count * preprocessing.width)
        x.withUnsafeMutableBufferPointer { preprocessing.encode(table, rows: rows, into: $0.baseAddress!) }
        let out = x.withUnsafeBufferPointer { network.predict($0.baseAddress!, rows: rows.count) }
        switch task {
        case .regression:
            guard case .numeric(let values) = truth.values else { throw TrainingError("its target column '\(target)' holds text in this data") }
            let scaling = targetScaling ?? TargetScaling(mean: 0, scale: 1)
            return Metrics.regression(actual: rows.map { values[$0] }, predicted: out.map { $0 * scaling.scale + scaling.mean })
        case .binary, .multiclass:
            var index: [String: Int] = [:]
            for (i, name) in (classes ?? []).enumerated() { index[name] = i }
            let name: (Int) -> String =
                switch truth.values {
                case .numeric(let values): { Dataset.label(values[$0]) }
                case .text(let codes, let levels): { codes[$0] < 0 ? "" : levels[Int(codes[$0])] }
                }
            var labels: [Int] = []
            labels.reserveCapacity(rows.count)
            for row in rows {
                guard let label = index[name(row)] else {
                    throw TrainingError(
                        "the data has the class '\(name(row))', which it was not trained on (it knows \((classes ?? []).joined(separator: ", ")))")
                }
                labels.append(label)
            }
            let k = network.sizes.last!
            return k == 1 ? Metrics.binary(labels: labels, scores: out) : Metrics.multiclass(labels: labels, probabilities: out, classes: k)
        }
    }
}
