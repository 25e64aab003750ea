import ArgumentParser
import RetrainCore

/// Options shared by commands that read the repository: where the schedules and `retrain.yaml` are.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The schedules folder (default: retrain.yaml's `schedules`, else schedules).", valueName: "DIR"))
    var schedules: String?

    @Option(name: .long, help: ArgumentHelp("Repository settings.", valueName: "FILE"))
    var config: String = "retrain.yaml"

    @Option(name: .long, help: ArgumentHelp("The state file (default: retrain.yaml's `state`, else .retrain/state.json).", valueName: "FILE"))
    var state: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The reports folder, where runs write their results (default: retrain.yaml's `reports`, else reports).", valueName: "DIR"))
    var reports: String?

    /// The state store these options name.
    func stateStore(_ config: RepositoryConfig) -> StateStore {
        StateStore(path: state ?? config.state)
    }

    /// The configuration and its diagnostics (defaults when the file is absent).
    func loadConfig() -> (RepositoryConfig?, [Diagnostic]) {
        ScheduleLoader.loadConfig(path: config)
    }
}
