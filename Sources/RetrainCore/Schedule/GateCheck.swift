/// One gate evaluated on a trained run: what it compared and whether it held. Kept in the run's
/// result, so a rejection names the gate and the numbers.
public struct GateCheck: Codable, Sendable, Equatable {
    /// The gate as written: `auc >= champion.auc - 0.02`.
    public var gate: String
    /// The run's value of the gate's metric, if the trainer reported it.
    public var value: Double?
    /// What the value was compared with, once the baseline and arithmetic were applied.
    public var threshold: Double?
    /// Whether it held.
    public var held: Bool
    /// Why it held or failed without a comparison: no champion yet, a metric not reported.
    public var note: String?

    public init(gate: String, value: Double?, threshold: Double?, held: Bool, note: String?) {
        self.gate = gate
        self.value = value
        self.threshold = threshold
        self.held = held
        self.note = note
    }

    /// `auc 0.78 >= 0.8` or the note: for reasons and messages.
    public var explanation: String {
        if let value, let threshold {
            return "\(gate) (\(JSONValue.short(value)) vs \(JSONValue.short(threshold)))"
        }
        return note.map { "\(gate) (\($0))" } ?? gate
    }
}

extension Gate {
    /// Evaluates the gate on `metrics`, against the champion's and the previous run's metrics
    /// (MLflow's MetricThreshold idea: an absolute threshold, or a change against a baseline,
    /// absolute with `+`/`-` or relative with `*`). A gate naming a baseline that does not exist yet,
    /// or lacks the metric, holds; a metric the trainer did not report fails the gate.
    public func check(_ metrics: [String: Double], champion: [String: Double]?, previous: [String: Double]?) -> GateCheck {
        guard let value = metrics[metric] else {
            return GateCheck(gate: source, value: nil, threshold: nil, held: false, note: "the trainer reported no '\(metric)'")
        }
        let threshold: Double
        switch operand {
        case .number(let n):
            threshold = n
        case .reference(let baseline, let name, let adjustment):
            let metrics = baseline == .champion ? champion : previous
            guard let base = metrics?[name] else {
                let why = metrics == nil ? "no \(baseline.rawValue) yet" : "the \(baseline.rawValue) has no '\(name)'"
                return GateCheck(gate: source, value: value, threshold: nil, held: true, note: why)
            }
            switch adjustment?.op {
            case "+"?: threshold = base + adjustment!.value
            case "-"?: threshold = base - adjustment!.value
            case "*"?: threshold = base * adjustment!.value
            default: threshold = base
            }
        }
        let held =
            switch comparison {
            case .greaterOrEqual: value >= threshold
            case .lessOrEqual: value <= threshold
            case .greater: value > threshold
            case .less: value < threshold
            }
        return GateCheck(gate: source, value: value, threshold: threshold, held: held, note: nil)
    }
}
