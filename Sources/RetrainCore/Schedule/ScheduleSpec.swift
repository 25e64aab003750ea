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
        slim.data = nil
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
    public enum Event: String, Codable, Sendable, CaseIterable { case failed, rejected, stale, completed, recovered }

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

/// `slurm:` settings, passed to `sbatch`.
public struct SlurmOptions: Sendable, Hashable {
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
    /// `--mem`, e.g. `8G`.
    public var mem: String?
    /// `--time`, e.g. `02:00:00`.
    public var time: String?
    /// `--constraint`.
    public var constraint: String?
    /// Extra `sbatch` arguments, verbatim.
    public var extraArgs: [String] = []
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
