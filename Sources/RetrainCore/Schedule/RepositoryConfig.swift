public import RetrainYAML

/// `retrain.yaml` at the repository root: paths, the mail transport, defaults and the trainer allowlist.
public struct RepositoryConfig: Sendable {
    /// The schedules folder.
    public var schedules = "schedules"
    /// The state file.
    public var state = ".retrain/state.json"
    /// The reports folder.
    public var reports = "reports"
    /// The models folder.
    public var models = "models"
    /// The sendmail-compatible command (argv, read with `-t`).
    public var sendmail = ["/usr/sbin/sendmail", "-t"]
    /// The From: address of notification mail.
    public var emailFrom = "retrain@localhost"
    /// Executor for schedules that name none.
    public var defaultExecutor: ScheduleSpec.Executor = .local
    /// Slurm options for schedules that give none.
    public var defaultSlurm: SlurmOptions?
    /// Notification settings for schedules that give none.
    public var defaultNotify: NotifySpec?
    /// `defaults.keep_runs`: run folders kept per schedule that sets none.
    public var defaultKeepRuns: Int?
    /// When set, the only external trainer commands allowed (argv prefixes).
    public var allowedCommands: [[String]]?
    /// Most runs started at once by `reconcile`.
    public var maxParallel = 2
    /// Folders outside the repository that built-in models may read data from (absolute paths).
    public var dataRoots: [String] = []

    /// The environment variables the mail settings and the default `notify` refer to (`${NAME}`).
    public var referencedNames: [String] {
        (sendmail + [emailFrom]).flatMap(EnvironmentReference.names(in:)) + (defaultNotify?.referencedNames ?? [])
    }

    /// The defaults, used when there is no `retrain.yaml`.
    public init() {}

    /// What schedule validation needs from this configuration.
    public var validationContext: ValidationContext {
        var context = ValidationContext(defaultExecutor: defaultExecutor, allowedCommands: allowedCommands)
        context.dataRoots = dataRoots
        return context
    }

    /// Every key `retrain.yaml` may have.
    public static let keys = [
        "version", "schedules", "state", "reports", "models", "email", "defaults", "allowed_commands", "max_parallel", "data_roots",
    ]
    static let emailKeys = ["sendmail", "from"]
    static let defaultsKeys = ["executor", "slurm", "notify", "keep_runs"]

    /// Decodes `retrain.yaml`; nil when it has errors (the reader holds them).
    public static func decode(root: YAMLNode, reader: inout NodeReader) -> RepositoryConfig? {
        guard let f = reader.fields(root, what: "retrain.yaml", allowed: KeySet(keys)) else { return nil }
        let errorsBefore = reader.sink.items.count { $0.severity == .error }
        var config = RepositoryConfig()
        if let node = f["version"], let version = reader.int(node, field: "version", range: 1...Int.max),
            version > ScheduleDecoder.supportedVersion
        {
            reader.sink.error(Messages.newerVersion(version, supported: ScheduleDecoder.supportedVersion), at: node.mark)
            return nil
        }
        func path(_ key: String) -> String? {
            guard let node = f[key], let p = reader.text(node, field: key) else { return nil }
            if p.utf8.contains(0) || (!p.hasPrefix("/") && ScheduleDecoder.escapesRoot(p)) {
                reader.sink.error(Messages.badPath(key), at: node.mark)
                return nil
            }
            return p
        }
        config.schedules = path("schedules") ?? config.schedules
        config.state = path("state") ?? config.state
        config.reports = path("reports") ?? config.reports
        config.models = path("models") ?? config.models
        if let node = f["email"], let e = reader.fields(node, what: "'email'", allowed: KeySet(emailKeys)) {
            if let n = e["sendmail"], let argv = reader.textList(n, field: "email.sendmail", allowSingle: true) { config.sendmail = argv }
            if let n = e["from"], let from = reader.text(n, field: "email.from") {
                if ScheduleDecoder.isEmailOrReference(from) {
                    config.emailFrom = from
                } else {
                    reader.sink.error(Messages.badEmail(from), at: n.mark)
                }
            }
        }
        if let node = f["defaults"], let d = reader.fields(node, what: "'defaults'", allowed: KeySet(defaultsKeys)) {
            if let n = d["executor"] {
                config.defaultExecutor = reader.choice(n, field: "defaults.executor", as: ScheduleSpec.Executor.self) ?? .local
            }
            if let n = d["slurm"] { config.defaultSlurm = ScheduleDecoder.decodeSlurm(n, reader: &reader) }
            if let n = d["notify"] { config.defaultNotify = ScheduleDecoder.decodeNotify(n, reader: &reader) }
            if let n = d["keep_runs"] { config.defaultKeepRuns = reader.int(n, field: "defaults.keep_runs", range: 1...100_000) }
        }
        if let node = f["allowed_commands"] {
            if let items = node.sequence {
                config.allowedCommands = items.compactMap { reader.textList($0, field: "allowed_commands", allowSingle: true) }
            } else {
                reader.sink.error(
                    Messages.wrongType(
                        "allowed_commands", expected: "a list of commands, e.g. [[python3, examples/trainers/sklearn_trainer.py]]",
                        found: NodeReader.describe(node)), at: node.mark)
            }
        }
        if let node = f["data_roots"], let roots = reader.textList(node, field: "data_roots", allowSingle: true) {
            for (root, item) in zip(roots, node.sequence ?? [node]) {
                guard root.hasPrefix("/"), !root.utf8.contains(0), !root.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }),
                    root != "/"
                else {
                    reader.sink.error(Messages.badDataRoot(root), at: item.mark)
                    continue
                }
                config.dataRoots.append(root.hasSuffix("/") ? String(root.dropLast()) : root)
            }
        }
        if let node = f["max_parallel"] { config.maxParallel = reader.int(node, field: "max_parallel", range: 1...1024) ?? 2 }
        let errorsAfter = reader.sink.items.count { $0.severity == .error }
        return errorsAfter == errorsBefore ? config : nil
    }
}
