/// The commented schedule file `retrain new` writes.
public enum ScheduleTemplate {
    /// Example data and target column for each built-in model (the files in `examples/data/`).
    public static let exampleData: [String: (data: String, target: String)] = [
        "attrition": ("examples/data/attrition.csv", "left_company"),
        "duration": ("examples/data/duration.csv", "hours"),
        "performance": ("examples/data/performance.csv", "score"),
        "risk": ("examples/data/risk.csv", "risk_level"),
    ]

    /// The text of a new schedule; the caller validates it before writing.
    /// `data` names the CSV and target column of a built-in model (default: the example data);
    /// `enabled` false writes a schedule that waits for its data (`retrain init`'s example).
    public static func render(
        id: String, model: String, start: String, repeatRule: String, timezone: String, command: [String]?,
        data: (data: String, target: String)? = nil, enabled: Bool = true
    ) -> String {
        let builtin = command == nil ? ModelCatalogue.model(named: model) : nil
        let enabledLine =
            enabled
            ? "enabled: true                 # false pauses it; history is kept"
            : "enabled: false                # true once the data file is in place"
        var out = """
            # yaml-language-server: $schema=schedule.schema.json
            # Check with `retrain validate`; see when it runs with `retrain next \(id)`.
            version: 1
            model: \(model)
            description: Retrain \(model) \(repeatRule == "once" ? "once" : repeatRule)
            \(enabledLine)
            start: \(start)   # first run, local time in `timezone`
            timezone: \(timezone)
            repeat: \(quoteIfNeeded(repeatRule))              # once | daily | weekly | monthly | cron "m h dom mon dow" | @daily…
            catchup: latest               # missed slots: latest (one run) | none | all
            timeout: 6h

            """
        if let builtin {
            let example = data ?? exampleData[builtin.name]!
            out += """
                data: \(example.data)   # CSV with a header row, relative to the repository root
                target: \(example.target)
                params:                       # `retrain models` lists every parameter with its range
                  epochs: 100
                  batch_size: 32
                  learning_rate: 0.001
                  hidden_layers: [32, 16]
                  seed: 42
                gates:                        # promoted to champion only if every gate holds
                  - \(builtin.keyMetric) \(builtin.metric(named: builtin.keyMetric)!.better == .higher ? ">=" : "<=") champion.\(builtin.keyMetric) \(builtin.metric(named: builtin.keyMetric)!.better == .higher ? "-" : "*") \(builtin.metric(named: builtin.keyMetric)!.better == .higher ? "0.02" : "1.05")

                """
        } else if let command {
            out += """
                command: [\(command.map(quoteIfNeeded).joined(separator: ", "))]   # external trainer, run without a shell
                params: {}                    # passed to the trainer as JSON in $RETRAIN_PARAMS

                """
        }
        out += """
            notify:
              on: [failed, rejected, stale]
              stale_after: 30d

            """
        return out
    }

    static func quoteIfNeeded(_ s: String) -> String {
        let plainSafe = s.allSatisfy { $0.isLetter || $0.isNumber || "/._-".contains($0) } && !s.isEmpty
        return plainSafe ? s : "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
