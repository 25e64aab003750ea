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
    /// Why it held or failed without a comparison: no champion yet, a metric not reported. For a
    /// champion gate on the recorded score, why the champion was not scored on this holdout.
    public var note: String?
    /// For a gate on `champion.X`: which of the champion's scores it used.
    public var basis: ChampionBasis?

    /// Which score of the champion a gate compared with.
    public enum ChampionBasis: String, Codable, Sendable {
        /// The champion scored on this run's holdout rows: like with like.
        case sameHoldout = "same_holdout"
        /// Its score when it was trained, on its own holdout (it could not be scored on this one).
        case recorded
    }

    public init(gate: String, value: Double?, threshold: Double?, held: Bool, note: String?, basis: ChampionBasis? = nil) {
        self.gate = gate
        self.value = value
        self.threshold = threshold
        self.held = held
        self.note = note
        self.basis = basis
    }

    /// `auc >= 0.8 (0.78 vs 0.8)` or the note: for reasons and messages.
    public var explanation: String {
        if let value, let threshold {
            let against = basis == .recorded ? ", the champion's recorded score" : ""
            return "\(gate) (\(JSONValue.short(value)) vs \(JSONValue.short(threshold))\(against))"
        }
        return note.map { "\(gate) (\($0))" } ?? gate
    }
}

/// The champion as a gate sees it: its metrics on this run's holdout when the trainer scored it,
/// else its recorded metrics, and why it was not scored. Kept in result.json as `champion`, with
/// the data fingerprint it was trained on (the run's own is its `data`).
public struct ChampionBaseline: Codable, Sendable, Equatable {
    /// The champion's run id.
    public var run: String?
    /// On this run's holdout rows.
    public var onHoldout: [String: Double]?
    /// When it was trained, on its own holdout.
    public var recorded: [String: Double]
    /// Why it was not scored on this holdout.
    public var unscored: String?
    /// The SHA-256 of the data it was trained on.
    public var dataSHA256: String?

    enum CodingKeys: String, CodingKey {
        case run = "run_id"
        case onHoldout = "on_this_holdout"
        case recorded
        case unscored
        case dataSHA256 = "data_sha256"
    }

    public init(run: String? = nil, onHoldout: [String: Double]?, recorded: [String: Double], unscored: String?, dataSHA256: String? = nil) {
        self.run = run
        self.onHoldout = onHoldout
        self.recorded = recorded
        self.unscored = unscored
        self.dataSHA256 = dataSHA256
    }
}

extension Gate {
    /// Evaluates the gate on `metrics`, against the champion's and the previous run's metrics
    /// (MLflow's MetricThreshold idea: an absolute threshold, or a change against a baseline,
    /// absolute with `+`/`-` or relative with `*`). A gate naming a baseline that does not exist yet,
    /// or lacks the metric, holds; a metric the trainer did not report fails the gate. `champion.X`
    /// is the champion's score on this run's holdout when there is one, else its recorded score
    /// (the check says which, and why).
    public func check(_ metrics: [String: Double], champion: ChampionBaseline?, previous: [String: Double]?) -> GateCheck {
        guard let value = metrics[metric] else {
            return GateCheck(gate: source, value: nil, threshold: nil, held: false, note: "the trainer reported no '\(metric)'")
        }
        let threshold: Double
        var basis: GateCheck.ChampionBasis? = nil
        var note: String? = nil
        switch operand {
        case .number(let n):
            threshold = n
        case .reference(let baseline, let name, let adjustment):
            var metrics = previous
            if baseline == .champion, let champion {
                if let scored = champion.onHoldout?[name] {
                    metrics = [name: scored]
                    basis = .sameHoldout
                } else {
                    metrics = champion.recorded
                    basis = .recorded
                    note = "the champion's recorded score: " + (champion.unscored ?? "the trainer did not score it on this holdout")
                }
            } else if baseline == .champion {
                metrics = nil
            }
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
        return GateCheck(gate: source, value: value, threshold: threshold, held: held, note: note, basis: basis)
    }
}
