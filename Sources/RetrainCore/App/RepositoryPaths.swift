/// Where a repository's parts are, as the command line names them: nil takes `retrain.yaml`'s
/// setting (or its default).
public struct RepositoryPaths: Sendable {
    /// The schedules folder (`--schedules`).
    public var schedules: String?
    /// `retrain.yaml`.
    public var config: String
    /// The state file (`--state`).
    public var state: String?
    /// The reports folder (`--reports`).
    public var reports: String?

    public init(schedules: String? = nil, config: String = "retrain.yaml", state: String? = nil, reports: String? = nil) {
        self.schedules = schedules
        self.config = config
        self.state = state
        self.reports = reports
    }

    /// The state store these paths name.
    public func stateStore(_ config: RepositoryConfig) -> StateStore {
        StateStore(path: state ?? config.state)
    }

    /// The configuration and its diagnostics (defaults when the file is absent).
    public func loadConfig() -> (RepositoryConfig?, [Diagnostic]) {
        ScheduleLoader.loadConfig(path: config)
    }
}
