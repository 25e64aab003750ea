/// What `retrain train` made: the model's file and its holdout metrics.
public struct TrainResult: Presentable {
    public var model: String
    public var output: String
    public var metrics: [(key: String, value: Double)]
    /// The champion's metrics on the same holdout (`--champion`).
    public var champion: [String: Double]? = nil

    public init(model: String, output: String, metrics: [(key: String, value: Double)]) {
        self.model = model
        self.output = output
        self.metrics = metrics
    }

    public func table() -> String {
        guard let champion else { return TextTable.render([["METRIC", "HOLDOUT"]] + metrics.map { [$0.key, JSONValue.short($0.value)] }) + "\n" }
        return TextTable.render(
            [["METRIC", "HOLDOUT", "CHAMPION ON IT"]]
                + metrics.map { [$0.key, JSONValue.short($0.value), champion[$0.key].map(JSONValue.short) ?? "-"] })
            + "\n"
    }

    public var payload: Payload {
        Payload(
            model: model, modelFile: output + "/model.json", metrics: KeyedValues(metrics),
            champion: champion.map { c in KeyedValues(metrics.compactMap { m in c[m.key].map { (key: m.key, value: $0) } }) })
    }

    public struct Payload: Encodable {
        public var model: String
        public var modelFile: String
        public var metrics: KeyedValues<Double>
        public var champion: KeyedValues<Double>?

        enum CodingKeys: String, CodingKey {
            case model
            case modelFile = "model_file"
            case metrics, champion
        }
    }
}
