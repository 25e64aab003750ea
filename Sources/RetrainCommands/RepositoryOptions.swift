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

    /// The paths these options name.
    var paths: RepositoryPaths { RepositoryPaths(schedules: schedules, config: config, state: state, reports: reports) }

    /// The state store these options name.
    func stateStore(_ config: RepositoryConfig) -> StateStore { paths.stateStore(config) }

    /// The configuration and its diagnostics (defaults when the file is absent).
    func loadConfig() -> (RepositoryConfig?, [Diagnostic]) { paths.loadConfig() }

    /// The repository read (`Workspace.load`), its schedules' problems printed.
    func workspace(readingState: Bool = false, prefetchingState: Bool = false, planningOnly: Bool = false) -> Workspace {
        printed(Workspace.load(paths, readingState: readingState, prefetchingState: prefetchingState, planningOnly: planningOnly))
    }

    /// `retrain.yaml` and schedule `id`'s file alone when that is enough (`Workspace.load(only:)`),
    /// else the whole repository; its problems printed.
    func workspace(only id: String) -> Workspace {
        printed(Workspace.load(paths, only: id) ?? Workspace.load(paths))
    }

    private func printed(_ workspace: Workspace) -> Workspace {
        Output.diagnostics(workspace.report.diagnostics)
        return workspace
    }
}
