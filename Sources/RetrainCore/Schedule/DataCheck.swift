import Glibc
import RetrainML

/// A built-in model's data, checked before it trains (`validate --data`, and every run a pass
/// starts): the file exists, its header has the target and every listed feature, a classifier's
/// target has the classes the model needs, and a regression's target is numeric. Each problem is an
/// error at the `data:`, `target:` or feature it is about, not an "exit 1" in a run's log.
enum DataCheck {
    /// Where the schedule says what the check reads.
    struct Marks {
        var data: Mark
        var target: Mark?
        var features: [Mark]
    }

    static func check(
        data: String, root: String, target: String, features: [String], model: BuiltinModel, marks: Marks, sink: inout DiagnosticSink
    ) {
        let path = data.hasPrefix("/") ? data : root + "/" + data
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            sink.error(
                "the data file '\(data)' does not exist (a relative path is read from the repository root); check the path, or add the file",
                at: marks.data)
            return
        }
        let types: [String: CSVReader.ColumnType] = [target: model.task == .regression ? .numeric : .text]
        let table: CSVTable
        do {
            table = try CSVReader.read(path, display: data, keep: [target], types: types)
        } catch {
            sink.error("\(error.description); the model cannot train on it", at: model.task == .regression ? marks.target ?? marks.data : marks.data)
            return
        }
        let columns = table.header
        func missing(_ what: String, _ name: String, at mark: Mark) {
            let hint = Suggestion.closest(to: name, in: columns).map { " (did you mean '\($0)'?)" } ?? ""
            let listed = columns.prefix(12).joined(separator: ", ") + (columns.count > 12 ? ", …" : "")
            sink.error("\(what) '\(name)' is not a column of \(data)\(hint); its columns are \(listed)", at: mark)
        }
        if !columns.contains(target) { missing("the target", target, at: marks.target ?? marks.data) }
        for (index, feature) in features.enumerated() where !columns.contains(feature) {
            missing("the feature", feature, at: index < marks.features.count ? marks.features[index] : marks.data)
        }
        guard columns.contains(target), let column = table.column(target) else { return }
        let needed = model.task == .binary ? 2 : model.task == .multiclass ? 3 : 0
        guard needed > 0, case .text(_, let levels) = column.values else { return }
        if levels.count != needed {
            let found = levels.sorted().prefix(8).joined(separator: ", ") + (levels.count > 8 ? ", …" : "")
            let expected = model.name == "risk" ? " (low, medium and high)" : ""
            sink.error(
                "the target '\(target)' has \(levels.count) class\(levels.count == 1 ? "" : "es") in \(data) (\(found)); the \(model.name) model needs \(needed)\(expected)",
                at: marks.target ?? marks.data)
        }
    }
}
