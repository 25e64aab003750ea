/// Settings from `retrain.yaml` that change what a valid schedule is.
public struct ValidationContext: Sendable {
    /// The executor used when a schedule names none.
    public var defaultExecutor: ScheduleSpec.Executor = .local
    /// When set, external trainer commands must start with one of these argv prefixes.
    public var allowedCommands: [[String]]?
    /// Record each schedule's `sourceHash` (the planner wants it; `validate` alone does not).
    public var hashesSource = true
    /// When set (`validate`), a built-in model's `data` is resolved from this repository root, links
    /// followed, and a file outside it is an error (one `realpath` per such schedule). A run checks it again when it starts.
    public var repositoryRoot: String?
    /// Absolute folders outside the repository a built-in model may read data from (`retrain.yaml`'s
    /// `data_roots`).
    public var dataRoots: [String] = []
    /// `validate --data`, and every run a pass starts: a built-in model's data file is read and
    /// checked (it exists; its header has `target` and every listed feature; a classifier's target has
    /// the classes the model needs; a regression's is numeric). Needs `repositoryRoot`.
    public var checksData = false

    /// Creates a context.
    public init(defaultExecutor: ScheduleSpec.Executor = .local, allowedCommands: [[String]]? = nil) {
        self.defaultExecutor = defaultExecutor
        self.allowedCommands = allowedCommands
    }
}
