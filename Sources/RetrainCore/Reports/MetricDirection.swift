/// Which way a metric improves, for comparisons, trends and charts.
public enum MetricDirection {
    /// Metrics whose name says which way is better, for trainers outside the catalogue.
    static let known: [String: MetricInfo.Better] = [
        "auc": .higher, "roc_auc": .higher, "pr_auc": .higher, "accuracy": .higher, "balanced_accuracy": .higher, "precision": .higher,
        "recall": .higher, "f1": .higher, "macro_f1": .higher, "micro_f1": .higher, "weighted_f1": .higher, "r2": .higher,
        "rmse": .lower, "mse": .lower, "mae": .lower, "mape": .lower, "log_loss": .lower, "logloss": .lower, "loss": .lower,
        "error": .lower, "brier": .lower,
    ]

    /// `name`'s direction for `spec`: the built-in model's catalogue; else the usual meaning of the name;
    /// else the spec's gates (`>=` means higher is better). Nil when nothing says.
    public static func of(_ name: String, spec: ScheduleSpec?) -> MetricInfo.Better? {
        if let info = spec?.builtinModel?.metric(named: name) { return info.better }
        if let better = known[name] { return better }
        for gate in spec?.gates ?? [] where gate.metric == name {
            switch gate.comparison {
            case .greaterOrEqual, .greater: return .higher
            case .lessOrEqual, .less: return .lower
            }
        }
        return nil
    }

    /// The metric summaries lead with: the built-in model's key metric, else the first gate's metric,
    /// else the first metric (in name order) of `metrics`.
    public static func keyMetric(spec: ScheduleSpec?, metrics: [String: Double]?) -> String? {
        if let key = spec?.builtinModel?.keyMetric { return key }
        if let gate = spec?.gates.first { return gate.metric }
        return metrics?.keys.min(by: codePointLess)
    }
}
