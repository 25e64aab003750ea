/// A validated schedule file (format version 1): what to train, when, and what to do with the result.
public struct ScheduleSpec: Sendable {
    /// How slots repeat.
    public enum Repeat: Sendable, Hashable, CustomStringConvertible {
        case once, daily, weekly, monthly
        case cron(CronExpression)

        public var description: String {
            switch self {
            case .once: "once"
            case .daily: "daily"
            case .weekly: "weekly"
            case .monthly: "monthly"
            case .cron(let e): e.source
            }
        }
    }

    /// What to do with slots missed while nothing reconciled.
    public enum Catchup: String, Sendable, CaseIterable { case latest, none, all }

    /// Where a run executes.
    public enum Executor: String, Sendable, CaseIterable { case local, slurm }

    /// The schedule id (the file stem).
    public var id: String
    /// The file it was read from, as given (not part of the spec's hash).
    public var file = ""
    /// SHA-256 (hex) of the file's bytes, when the loader was asked for it. When it equals the one
    /// recorded in state, the spec and timing hashes recorded with it still hold, and the planner
    /// skips computing them (the costliest step of planning 10,000 unchanged schedules).
    public var sourceHash: String?
    /// Format version (1).
    public var version: Int = 1
    /// The model name: a built-in one, or any name with `command`.
    public var model: String
    /// Free text.
    public var description: String?
    /// False pauses the schedule.
    public var enabled: Bool = true
    /// The first slot, local to `timezone`.
    public var start: LocalDateTime
    /// IANA zone name.
    public var timezone: String = "UTC"
    /// How slots repeat.
    public var repeatRule: Repeat = .once
    /// No slot after this (a date alone means the end of that day).
    public var end: LocalDateTime?
    /// Missed-slot policy.
    public var catchup: Catchup = .latest
    /// A slot later than this is skipped, not run late.
    public var deadline: TimeSpan?
    /// The training CSV, relative to the repository root.
    public var data: String?
    /// The column to predict.
    public var target: String?
    /// The feature columns; nil means every other column.
    public var features: [String]?
    /// Training parameters, in file order.
    public var params: [(String, ParamValue)] = []
    /// An external trainer's argv, or nil for the built-in trainer.
    public var command: [String]?
    /// The run is killed after this.
    public var timeout = TimeSpan(seconds: 6 * 3600)
    /// Extra attempts after a failure.
    public var retries = 0
    /// Also run when the data file's content changes (checked each pass: size and mtime, then a hash).
    public var onDataChange = false
    /// How many runs' folders (under reports/ and models/) to keep; nil: retrain.yaml's default, or all.
    public var keepRuns: Int?
    /// First backoff, doubling.
    public var retryDelay = TimeSpan(seconds: 300)
    /// Where runs execute; nil means retrain.yaml's default (local).
    public var executor: Executor?
    /// Slurm options.
    public var slurm: SlurmOptions? {
        get { slurmStorage?.value }
        set { slurmStorage = newValue.map(OutOfLine.init) }
    }
    private var slurmStorage: OutOfLine<SlurmOptions>?
    /// Gates a trained model must pass to be promoted.
    public var gates: [Gate] = []
    /// Notification settings; nil means retrain.yaml's default.
    public var notify: NotifySpec? {
        get { notifyStorage?.value }
        set { notifyStorage = newValue.map(OutOfLine.init) }
    }
    private var notifyStorage: OutOfLine<NotifySpec>?
    /// Free-form labels, sorted by key.
    public var labels: [(String, String)] = []
    /// Changing it requests one run.
    public var trigger: String?
    /// `specHash` as taken before the spec was kept for planning (`forPlanning`).
    var keptSpecHash: String?

    /// A spec with every optional field at its default (the decoder fills in the rest).
    init(id: String, model: String, start: LocalDateTime) {
        self.id = id
        self.model = model
        self.start = start
    }

    /// The spec with only what planning reads (the timing, the hashes, the trigger, retries, the
    /// model and command): its description, data, features, params, gates, labels, notify and
    /// slurm left out. `plan` over 100,000 files keeps every spec at once: a fifth of the memory.
    /// With `keepingSpecHash`, the spec hash is taken first and kept (planning compares it when the
    /// file changed since the state's entry was written); without, `specHash` must not be asked for.
    public func forPlanning(keepingSpecHash: Bool) -> ScheduleSpec {
        var slim = self
        if keepingSpecHash { slim.keptSpecHash = specHash }
        slim.description = nil
        if !onDataChange { slim.data = nil }  // on_data_change plans from the data file
        slim.target = nil
        slim.features = nil
        slim.params = []
        slim.gates = []
        slim.labels = []
        slim.notify = nil
        slim.slurm = nil
        return slim
    }

    /// The built-in model this schedule trains with the built-in trainer, or nil for an external trainer.
    public var builtinModel: BuiltinModel? {
        command == nil ? ModelCatalogue.model(named: model) : nil
    }
}

/// `notify:` settings.
public struct NotifySpec: Sendable, Hashable {
    /// Events that can send a notification.
    public enum Event: String, Codable, Sendable, CaseIterable { case failed, rejected, stale, completed, recovered, promoted }

    /// Addresses (or `${ENV}` references).
    public var email: [String] = []
    /// Events that notify.
    public var on: [Event] = [.failed, .rejected, .stale]
    /// Alert when no model was promoted for this long.
    public var staleAfter: TimeSpan?
    /// A URL (or `${ENV}` reference) that receives a JSON POST.
    public var webhook: String?
}

extension NotifySpec {
    /// The environment variables its addresses and webhook refer to (`${NAME}`): secrets, which
    /// no trainer's environment gets.
    public var referencedNames: [String] {
        (email + [webhook ?? ""]).flatMap(EnvironmentReference.names(in:))
    }
}

/// `slurm:` settings, passed to `sbatch` (see `SlurmExecutor`). Each is nil when not given.
public struct SlurmOptions: Codable, Sendable, Hashable {
    /// `--partition`.
    public var partition: String?
    /// `--account`.
    public var account: String?
    /// `--qos`.
    public var qos: String?
    /// `--cpus-per-task`.
    public var cpus: Int?
    /// `--gpus`.
    public var gpus: Int?
    /// `--gres`, e.g. `gpu:a100:1`.
    public var gres: String?
    /// `--mem`, e.g. `8G`.
    public var mem: String?
    /// `--time`, e.g. `02:00:00`; without it, the run's `timeout` and a minute's grace.
    public var time: String?
    /// `--constraint`.
    public var constraint: String?
    /// More `sbatch` arguments, each `--name` or `--name=value` with a name from `allowedExtraArgs`.
    public var extraArgs: [String] = []

    enum CodingKeys: String, CodingKey {
        case partition, account, qos, cpus, gpus, gres, mem, time, constraint
        case extraArgs = "extra_args"
    }

    public init(
        partition: String? = nil, account: String? = nil, qos: String? = nil, cpus: Int? = nil, gpus: Int? = nil, gres: String? = nil,
        mem: String? = nil, time: String? = nil, constraint: String? = nil, extraArgs: [String] = []
    ) {
        self.partition = partition
        self.account = account
        self.qos = qos
        self.cpus = cpus
        self.gpus = gpus
        self.gres = gres
        self.mem = mem
        self.time = time
        self.constraint = constraint
        self.extraArgs = extraArgs
    }

    /// These settings over `defaults` (retrain.yaml's `defaults.slurm`): each one given here wins,
    /// the others come from the defaults; extra arguments are the defaults' then these.
    public func over(_ defaults: SlurmOptions?) -> SlurmOptions {
        guard let defaults else { return self }
        var merged = self
        merged.partition = partition ?? defaults.partition
        merged.account = account ?? defaults.account
        merged.qos = qos ?? defaults.qos
        merged.cpus = cpus ?? defaults.cpus
        merged.gpus = gpus ?? defaults.gpus
        merged.gres = gres ?? defaults.gres
        merged.mem = mem ?? defaults.mem
        merged.time = time ?? defaults.time
        merged.constraint = constraint ?? defaults.constraint
        merged.extraArgs = defaults.extraArgs + extraArgs
        return merged
    }

    /// The `sbatch` options `extra_args` may give: placement and resources only. Those retrain sets
    /// itself (job name, output, working directory, environment, requeueing) and those that would
    /// run something else or as someone else (`--wrap`, `--uid`, `--dependency`, `--array`) are not
    /// among them.
    public static let allowedExtraArgs: [String] = [
        "--begin", "--cores-per-socket", "--cpus-per-gpu", "--distribution", "--exclude", "--exclusive", "--gpus-per-node",
        "--gpus-per-task", "--hint", "--licenses", "--mem-per-cpu", "--mem-per-gpu", "--nice", "--nodelist", "--nodes",
        "--ntasks", "--ntasks-per-node", "--reservation", "--sockets-per-node", "--switches", "--threads-per-core", "--tmp",
        "--wckey",
    ]

    /// Why `argument` may not be among `extra_args`, or nil when it may.
    public static func refusal(of argument: String) -> String? {
        let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
        if allowedExtraArgs.contains(name) { return nil }
        if name.hasPrefix("--") {
            return
                "'slurm.extra_args' has '\(argument)', which retrain does not pass on; it passes \(allowedExtraArgs.joined(separator: ", ")) (write --name=value), and sets the job name, output, working directory and environment itself"
        }
        return "'slurm.extra_args' has '\(argument)'; write each as --name=value, e.g. --exclusive or --nodelist=node01"
    }
}

/// A value kept out of line, behind one pointer, with value semantics (an indirect enum case is an
/// immutable heap box). For a spec's rarely set parts, so that the spec, copied and moved between
/// stages in arrays of 10,000, stays small.
indirect enum OutOfLine<Value: Sendable>: Sendable {
    case boxed(Value)

    init(_ value: Value) { self = .boxed(value) }

    var value: Value {
        switch self {
        case .boxed(let value): value
        }
    }
}
