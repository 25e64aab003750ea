/// The four built-in models, their metrics and their parameters: one catalogue that the validator,
/// `retrain models`, `retrain schema` and the trainers all read.
public enum ModelCatalogue {
    /// Every built-in model, in name order.
    public static let models: [BuiltinModel] = [
        BuiltinModel(
            name: "attrition", task: .binary,
            description: "will an employee leave (binary classification)",
            metrics: binaryMetrics, keyMetric: "auc"),
        BuiltinModel(
            name: "duration", task: .regression,
            description: "how many hours a task takes (regression)",
            metrics: regressionMetrics, keyMetric: "rmse"),
        BuiltinModel(
            name: "performance", task: .regression,
            description: "an employee's performance score (regression)",
            metrics: regressionMetrics, keyMetric: "rmse"),
        BuiltinModel(
            name: "risk", task: .multiclass,
            description: "a project's risk level: low, medium or high (3-class classification)",
            metrics: multiclassMetrics, keyMetric: "macro_f1"),
    ]

    /// The names of the built-in models.
    public static let names: [String] = models.map(\.name)

    /// The built-in model called `name`, if any.
    public static func model(named name: String) -> BuiltinModel? {
        models.first { $0.name == name }
    }

    /// The training parameters every built-in model takes.
    public static let parameters: [ParameterInfo] = [
        ParameterInfo(
            name: "epochs", kind: .integer, defaultValue: .int(100), minimum: 1, maximum: 10_000,
            description: "passes over the training rows"),
        ParameterInfo(
            name: "batch_size", kind: .integer, defaultValue: .int(32), minimum: 1, maximum: 65_536,
            description: "rows per Adam step"),
        ParameterInfo(
            name: "learning_rate", kind: .number, defaultValue: .float(0.001), minimum: 1e-7, maximum: 1,
            description: "Adam step size"),
        ParameterInfo(
            name: "hidden_layers", kind: .integerList(maxCount: 8), defaultValue: .list([.int(32), .int(16)]),
            minimum: 1, maximum: 4096,
            description: "units per hidden ReLU layer; [] is a linear/logistic model"),
        ParameterInfo(
            name: "l2", kind: .number, defaultValue: .float(0.0001), minimum: 0, maximum: 1,
            description: "L2 penalty on the weights"),
        ParameterInfo(
            name: "validation_split", kind: .number, defaultValue: .float(0.2), minimum: 0.05, maximum: 0.5,
            description: "share of rows held out for metrics and early stopping"),
        ParameterInfo(
            name: "early_stopping_patience", kind: .integer, defaultValue: .int(10), minimum: 0, maximum: 10_000,
            description: "epochs without holdout improvement before stopping; 0 never stops early"),
        ParameterInfo(
            name: "seed", kind: .integer, defaultValue: .int(42), minimum: 0, maximum: 4_294_967_295,
            description: "seed for initialisation, shuffling and the holdout split"),
    ]

    /// The parameter called `name`, if any.
    public static func parameter(named name: String) -> ParameterInfo? {
        parameters.first { $0.name == name }
    }

    static let binaryMetrics: [MetricInfo] = [
        MetricInfo(name: "auc", better: .higher, description: "area under the ROC curve"),
        MetricInfo(name: "accuracy", better: .higher, description: "share of correct predictions at 0.5"),
        MetricInfo(name: "precision", better: .higher, description: "true positives over predicted positives"),
        MetricInfo(name: "recall", better: .higher, description: "true positives over actual positives"),
        MetricInfo(name: "f1", better: .higher, description: "harmonic mean of precision and recall"),
        MetricInfo(name: "log_loss", better: .lower, description: "mean negative log-likelihood"),
    ]
    static let regressionMetrics: [MetricInfo] = [
        MetricInfo(name: "rmse", better: .lower, description: "root mean squared error, in the target's units"),
        MetricInfo(name: "mae", better: .lower, description: "mean absolute error, in the target's units"),
        MetricInfo(name: "r2", better: .higher, description: "coefficient of determination"),
    ]
    static let multiclassMetrics: [MetricInfo] = [
        MetricInfo(name: "accuracy", better: .higher, description: "share of correct predictions"),
        MetricInfo(name: "macro_f1", better: .higher, description: "F1 averaged over the classes"),
        MetricInfo(name: "log_loss", better: .lower, description: "mean negative log-likelihood"),
    ]
}

/// A model the built-in trainer knows.
public struct BuiltinModel: Sendable {
    /// What the model predicts.
    public enum Task: String, Sendable {
        case binary, regression, multiclass
    }

    /// The model's name, as written in `model:`.
    public let name: String
    /// Its learning task.
    public let task: Task
    /// One line for `retrain models`.
    public let description: String
    /// The metrics it reports, in display order.
    public let metrics: [MetricInfo]
    /// The metric shown in summaries.
    public let keyMetric: String

    /// The metric called `name`, if the model reports it.
    public func metric(named name: String) -> MetricInfo? {
        metrics.first { $0.name == name }
    }
}

/// A metric and which way is better.
public struct MetricInfo: Sendable {
    /// Which way a metric improves.
    public enum Better: String, Codable, Sendable {
        case higher, lower
    }

    /// The metric's name in metrics files and gates.
    public let name: String
    /// Which way it improves.
    public let better: Better
    /// One line for `retrain models`.
    public let description: String
}

/// A training parameter of the built-in models.
public struct ParameterInfo: Sendable {
    /// The parameter's type.
    public enum Kind: Sendable, Equatable {
        case integer
        case number
        case integerList(maxCount: Int)

        /// The type's name in messages and listings.
        public var name: String {
            switch self {
            case .integer: "integer"
            case .number: "number"
            case .integerList(let maxCount): "list of up to \(maxCount) integers"
            }
        }
    }

    /// The key under `params:`.
    public let name: String
    /// Its type.
    public let kind: Kind
    /// The value used when absent.
    public let defaultValue: ParamValue
    /// Smallest allowed value (of each item, for lists).
    public let minimum: Double
    /// Largest allowed value (of each item, for lists).
    public let maximum: Double
    /// One line for `retrain models`.
    public let description: String
}
