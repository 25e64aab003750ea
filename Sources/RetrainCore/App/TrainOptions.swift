import FoundationEssentials

/// `retrain train`'s options, each falling back to the external-trainer contract's `RETRAIN_*`
/// variable: a run of a built-in schedule is `retrain train` with no options.
public struct TrainOptions: Sendable {
    public var model: String?
    public var data: String?
    public var target: String?
    /// Comma-separated.
    public var features: String?
    /// A JSON file of params.
    public var params: String?
    /// KEY=VALUE pairs, over `params`.
    public var paramOverrides: [String] = []
    public var output: String?
    public var metrics: String?
    public var splitFile: String?
    /// The champion's artifact folder, to score on the same holdout.
    public var champion: String?

    public init() {}

    /// The training these options (and `environment`, for what they leave out) ask for.
    public func job(environment: (String) -> String?) throws(CommandError) -> BuiltinTrainer.Job {
        func required(_ value: String?, _ variable: String, _ option: String) throws(CommandError) -> String {
            if let value { return value }
            if let value = environment(variable), !value.isEmpty { return value }
            throw CommandError("give \(option) (or set \(variable))")
        }
        let model = try required(model, "RETRAIN_MODEL", "--model")
        let data = try required(data, "RETRAIN_DATA", "--data")
        let target = try required(target, "RETRAIN_TARGET", "--target")
        let output = try required(output, "RETRAIN_OUTPUT", "--output")
        var featureList: [String]? = features.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if featureList == nil, let text = environment("RETRAIN_FEATURES") {
            guard let list = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
                throw CommandError("RETRAIN_FEATURES must be a JSON list of column names")
            }
            featureList = list
        }
        var members: [JSONValue.Member] = []
        if let file = params ?? environment("RETRAIN_PARAMS") {
            guard let value = SourceFile.readJSON(JSONValue.self, file), case .object(let given) = value else {
                throw CommandError("\(file) must hold a JSON object of params")
            }
            members = given
        }
        for pair in paramOverrides {
            guard let equals = pair.firstIndex(of: "=") else { throw CommandError("--param \(pair): write KEY=VALUE, like epochs=20") }
            let key = String(pair[..<equals])
            let text = String(pair[pair.index(after: equals)...])
            let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .string(text)
            members.removeAll { $0.key == key }
            members.append(JSONValue.Member(key, value))
        }
        return BuiltinTrainer.Job(
            model: model, data: data, dataDisplay: data, target: target, features: featureList, params: members,
            output: output, metrics: metrics ?? environment("RETRAIN_METRICS"), splitFile: splitFile,
            champion: champion ?? environment("RETRAIN_CHAMPION").flatMap { $0.isEmpty ? nil : $0 })
    }
}
