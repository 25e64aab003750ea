/// `retrain models`: the built-in models, their metrics and parameters (`ModelCatalogue`).
public struct ModelList: Presentable {
    public init() {}

    public func table() -> String {
        var rows: [[String]] = [["MODEL", "TASK", "KEY METRIC", "METRICS (↑ higher is better, ↓ lower)"]]
        for model in ModelCatalogue.models {
            let metrics = model.metrics.map { "\($0.name) \($0.better == .higher ? "↑" : "↓")" }.joined(separator: ", ")
            rows.append([model.name, model.task.rawValue, model.keyMetric, metrics])
        }
        var out = TextTable.render(rows) + "\nParameters (params:) of every built-in model:\n"
        var params: [[String]] = [["NAME", "TYPE", "DEFAULT", "RANGE", "DESCRIPTION"]]
        for p in ModelCatalogue.parameters {
            params.append([
                p.name, p.kind.name, JSONValue(p.defaultValue).compact.replacingComma(),
                "\(format(p.minimum))...\(format(p.maximum))", p.description,
            ])
        }
        out += TextTable.render(params)
        out += "\nAny other model name trains with an external trainer: set `command:` in the schedule.\n"
        return out
    }

    public func json() -> JSONValue {
        .object([
            "models": .array(
                ModelCatalogue.models.map { m in
                    .object([
                        "name": .string(m.name),
                        "task": .string(m.task.rawValue),
                        "description": .string(m.description),
                        "key_metric": .string(m.keyMetric),
                        "metrics": .array(
                            m.metrics.map {
                                .object(["name": .string($0.name), "better": .string($0.better.rawValue), "description": .string($0.description)])
                            }),
                    ])
                }),
            "parameters": .array(
                ModelCatalogue.parameters.map { p in
                    .object([
                        "name": .string(p.name),
                        "type": .string(p.kind.name),
                        "default": JSONValue(p.defaultValue),
                        "minimum": .number(p.minimum),
                        "maximum": .number(p.maximum),
                        "description": .string(p.description),
                    ])
                }),
        ])
    }

    func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }
}

extension String {
    fileprivate func replacingComma() -> String { split(separator: ",").joined(separator: ", ") }
}
