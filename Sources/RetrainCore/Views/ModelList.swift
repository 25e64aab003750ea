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

    public var payload: Payload {
        Payload(
            models: ModelCatalogue.models.map { m in
                Payload.Model(
                    name: m.name, task: m.task.rawValue, description: m.description, keyMetric: m.keyMetric,
                    metrics: m.metrics.map { Payload.Metric(name: $0.name, better: $0.better.rawValue, description: $0.description) })
            },
            parameters: ModelCatalogue.parameters.map { p in
                Payload.Parameter(
                    name: p.name, type: p.kind.name, defaultValue: JSONValue(p.defaultValue), minimum: p.minimum, maximum: p.maximum,
                    description: p.description)
            })
    }

    /// `models --format json`: each built-in model with its metrics, then the parameters they take.
    public struct Payload: Encodable {
        public var models: [Model]
        public var parameters: [Parameter]

        public struct Model: Encodable {
            public var name: String
            public var task: String
            public var description: String
            public var keyMetric: String
            public var metrics: [Metric]

            enum CodingKeys: String, CodingKey {
                case name, task, description
                case keyMetric = "key_metric"
                case metrics
            }
        }

        public struct Metric: Encodable {
            public var name: String
            public var better: String
            public var description: String
        }

        public struct Parameter: Encodable {
            public var name: String
            public var type: String
            public var defaultValue: JSONValue
            public var minimum: Double
            public var maximum: Double
            public var description: String

            enum CodingKeys: String, CodingKey {
                case name, type
                case defaultValue = "default"
                case minimum, maximum, description
            }
        }
    }

    func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }
}

extension String {
    fileprivate func replacingComma() -> String { split(separator: ",").joined(separator: ", ") }
}
