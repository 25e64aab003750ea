import RetrainYAML

/// Every message the validator prints, in one place: lower-case, saying what is wrong and how to fix it.
public enum Messages {
    // MARK: - Files

    static func fileError(_ error: SourceFileError) -> String {
        switch error {
        case .missing: "no such file"
        case .unreadable(let reason): "cannot read the file: \(reason)"
        case .tooLarge(let bytes, let limit): yaml(.tooLarge(bytes: bytes, limit: limit))
        }
    }
    static let emptyFile = "the file is empty; a schedule needs at least `model:` and `start:` (try `retrain new`)"
    static func badID(_ id: String) -> String {
        "'\(id)' is not a valid schedule id (the file name without .yaml): use 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit; rename the file"
    }
    static func duplicateID(_ id: String, other: String) -> String {
        "schedule id '\(id)' is also defined by \(other); ids come from file names and must be unique, so rename or remove one"
    }
    static func symlinkOutside(_ target: String) -> String {
        "this symlink leads outside the schedules folder (to \(target)); schedules must live in the folder, so copy the file in instead"
    }
    static let notRegularFile = "not a regular file; a schedule is a .yaml file"
    static func noSuchSchedule(_ id: String, folder: String) -> String {
        "no schedule '\(id)': there is no \(folder)/\(id).yaml; `retrain next --all` lists the schedules"
    }
    static func noSchedules(_ path: String) -> String { "no .yaml or .yml files found in \(path)" }
    static func noSuchPath(_ path: String) -> String { "no such file or folder: \(path)" }
    static func moreProblems(_ count: Int) -> String {
        "and \(count) more problem\(count == 1 ? "" : "s") in this file (only the first 20 are shown); fix these and run again"
    }

    // MARK: - YAML

    static func yaml(_ kind: YAMLIssue.Kind) -> String {
        switch kind {
        case .tooLarge(let bytes, let limit):
            "the file is \(bytes) bytes, over the \(limit)-byte limit for a schedule; a schedule is a few lines of YAML, so check that this is the right file"
        case .binary:
            "the file holds NUL bytes, so it is binary, not YAML text; check that this is the right file"
        case .invalidEncoding(let problem):
            "the file is not valid UTF-8 (\(problem)); save it as UTF-8"
        case .syntax(let problem, let context):
            "YAML syntax error: \(problem)\(context.map { " \($0)" } ?? ""); check the indentation and quoting here"
        case .tabIndentation:
            "tab in indentation; YAML indents with spaces only, so replace the tab with spaces"
        case .anchor(let name):
            "anchor '&\(name)' is not allowed in schedules; write the value out in full (schedules are read without anchors or aliases to keep them simple and safe)"
        case .alias(let name):
            "alias '*\(name)' is not allowed in schedules; write the value out in full"
        case .tag(let tag):
            "tag '\(tag)' is not allowed in schedules; remove it, and quote the value if it should be text"
        case .tooDeep(let limit):
            "nesting deeper than \(limit) levels; schedules are shallow, so check for runaway brackets or indentation"
        case .tooManyNodes(let limit):
            "more than \(limit) values in one file; a schedule needs a few dozen, so check that this is the right file"
        case .multipleDocuments:
            "a second YAML document ('---'); put one schedule in each file and remove this separator"
        }
    }

    // MARK: - Structure

    static func notAMapping(_ what: String, found: String) -> String { "\(what) must be a mapping of keys to values, found \(found)" }
    static func unknownKey(_ key: String, in what: String, allowed: [String]) -> String {
        if what == "a schedule", let param = Suggestion.closest(to: key, in: ModelCatalogue.parameters.map(\.name)) {
            return "unknown key '\(key)' in a schedule; training parameters such as '\(param)' go under `params:`"
        }
        if let guess = Suggestion.closest(to: key, in: allowed) { return "unknown key '\(key)' in \(what); did you mean '\(guess)'?" }
        if allowed.count <= 12 { return "unknown key '\(key)' in \(what); allowed keys: \(allowed.joined(separator: ", "))" }
        return "unknown key '\(key)' in \(what); see `retrain schema` or the README for the keys a schedule takes"
    }
    static func duplicateKey(_ key: String) -> String { "duplicate key '\(key)'; a key may appear once in a mapping, so remove one of them" }
    static func firstDefined(_ key: String) -> String { "'\(key)' first defined here" }
    static let nonTextKey = "keys must be plain text; write the key as a word"
    static func missing(_ key: String, in what: String, hint: String) -> String { "\(what) has no '\(key)'; \(hint)" }
    static func wrongType(_ field: String, expected: String, found: String) -> String { "'\(field)' must be \(expected), found \(found)" }
    static func yaml11Boolean(_ field: String, _ text: String) -> String {
        let value = ScalarValue.yaml11BooleanValue(text)
        return "'\(field)' is '\(text)', which YAML 1.2 reads as text, not a boolean (YAML 1.1 read it as \(value)); write \(value)"
    }
    static func yaml11Ambiguous(_ field: String, _ text: String) -> String {
        "'\(field)' is the plain word '\(text)', which YAML 1.1 tools read as the boolean \(ScalarValue.yaml11BooleanValue(text)); quote it (\"\(text)\") if you mean text, or write \(ScalarValue.yaml11BooleanValue(text))"
    }
    static func durationWithoutUnit(_ field: String, _ number: String) -> String {
        "'\(field)' is \(number) with no unit; write \(number)s, \(number)m, \(number)h or \(number)d"
    }
    static func outOfRange(_ field: String, value: String, range: String) -> String { "'\(field)' is \(value), outside \(range)" }
    static func emptyText(_ field: String) -> String { "'\(field)' is empty; give it a value or remove the key" }
    static func emptyList(_ field: String) -> String { "'\(field)' is an empty list; give it at least one item or remove the key" }
    static func duplicateItem(_ field: String, _ item: String) -> String { "'\(item)' appears twice in '\(field)'; remove one" }
    static func badEnum(_ field: String, _ value: String, allowed: [String]) -> String {
        "'\(field)' is '\(value)'\(Suggestion.hint(for: value, in: allowed)); it must be one of \(allowed.joined(separator: ", "))"
    }

    // MARK: - Schedule fields

    static func newerVersion(_ found: Int, supported: Int) -> String {
        "format version \(found) is newer than this retrain supports (\(supported)); upgrade retrain, or write version: \(supported)"
    }
    static func unknownModel(_ model: String) -> String {
        "model '\(model)' is not built in (\(ModelCatalogue.names.joined(separator: ", ")))\(Suggestion.hint(for: model, in: ModelCatalogue.names)); to train it with your own code, add `command:`"
    }
    static let badModelName = "'model' must be a name of letters, digits, '.', '-' or '_' (at most 64)"
    static let missingStart = "give the first run's local time, e.g. `start: 2026-12-01 02:00`"
    static let missingModel = "name the model to train, e.g. `model: attrition` (see `retrain models`)"
    static func builtinNeeds(_ key: String, model: String) -> String {
        "the built-in '\(model)' model needs `\(key):` (\(key == "data" ? "a CSV file relative to the repository root" : "the column to predict"))"
    }
    static let builtinDataCSV = "the built-in trainer reads a local CSV file: give a path ending in .csv, relative to the repository root"
    static let builtinDataURL = "the built-in trainer reads local files only; use an external trainer (`command:`) for remote data"
    static func builtinDataAbsolute(roots: [String]) -> String {
        let allowed =
            roots.isEmpty ? "inside the repository only" : "inside the repository or retrain.yaml's data_roots (\(roots.joined(separator: ", ")))"
        return
            "the built-in trainer reads data \(allowed); write 'data' relative to the repository root (data/train.csv), or list its folder in retrain.yaml's data_roots"
    }

    static func badDataRoot(_ root: String) -> String {
        "data root '\(root)' must be an absolute folder path without '.' or '..' parts, and not '/' (for example /mnt/warehouse/exports)"
    }
    static func builtinDataLinkedOut(_ resolved: String) -> String {
        "'data' resolves to \(resolved), outside the repository (a link leads there); the built-in trainer reads data inside the repository only, or inside a folder listed in retrain.yaml's data_roots"
    }
    static let dataEscapes = "'data' leads outside the repository with '..'; keep training data inside the repository"
    static func unknownTimezone(_ zone: String, suggestion: String?) -> String {
        "unknown time zone '\(zone)'\(suggestion.map { "; did you mean '\($0)'?" } ?? "; use an IANA name such as Europe/Madrid or UTC")"
    }
    static func noZoneDatabase(_ zone: String, directory: String) -> String {
        "time zone '\(zone)' cannot be read: there is no time zone database in \(directory); install the tzdata package (Debian: apt-get install tzdata), or point TZDIR at a zoneinfo folder"
    }
    static func endBeforeStart(_ end: LocalDateTime, _ start: LocalDateTime) -> String {
        "'end' (\(end)) is not after 'start' (\(start)); no run could happen, so move 'end' later or remove it"
    }
    static let endWithOnce = "'end' has no effect with `repeat: once`; remove it"
    static func badRepeat(_ value: String) -> String {
        "'repeat' is '\(value)'; write once, daily, weekly, monthly, a cron expression of 5 fields, or one of @hourly, @daily, @weekly, @monthly"
    }
    static func commandNotList(_ text: String) -> String {
        "'command' must be a list, since it runs without a shell: write [\(text.split(separator: " ").joined(separator: ", "))]"
    }
    static func commandNotAllowed(_ command: [String]) -> String {
        "command [\(command.joined(separator: ", "))] is not in retrain.yaml's `allowed_commands`; add it there (a reviewer must approve what runs on the reconciler's machine) or use an allowed trainer"
    }
    static func unknownParam(_ key: String, model: String) -> String {
        let names = ModelCatalogue.parameters.map(\.name)
        return
            "unknown parameter '\(key)' for the built-in '\(model)' model\(Suggestion.hint(for: key, in: names)); known: \(names.joined(separator: ", ")) (see `retrain models`)"
    }
    static func paramType(_ key: String, _ info: ParameterInfo, found: String) -> String {
        "parameter '\(key)' must be \(info.kind == .integer ? "an integer" : info.kind == .number ? "a number" : "a \(info.kind.name)"), found \(found)"
    }
    static func paramRange(_ key: String, value: String, _ info: ParameterInfo) -> String {
        "parameter '\(key)' is \(value), outside its range \(formatNumber(info.minimum))...\(formatNumber(info.maximum))"
    }
    static func paramListLength(_ key: String, count: Int, max: Int) -> String {
        "parameter '\(key)' has \(count) layers; at most \(max) are supported"
    }
    static func featureIsTarget(_ name: String) -> String {
        "'\(name)' is the target column; it cannot also be a feature, so remove it from 'features'"
    }
    static func gateMetric(_ metric: String, model: BuiltinModel) -> String {
        let names = model.metrics.map(\.name)
        return
            "the '\(model.name)' model does not produce '\(metric)'\(Suggestion.hint(for: metric, in: names)); its metrics are \(names.joined(separator: ", "))"
    }
    static func gateDirection(_ gate: String, _ metric: MetricInfo) -> String {
        "\(metric.name) is better when \(metric.better.rawValue), so '\(gate)' lets worse models through and stops better ones; did you mean \(metric.better == .higher ? ">=" : "<=")?"
    }
    static func gateNotText(found: String) -> String { "a gate is text like 'auc >= 0.80', found \(found)" }
    static let slurmWithoutExecutor =
        "'slurm' settings apply only to Slurm runs; set `executor: slurm` (here or as retrain.yaml's default) or remove them"
    static func badEmail(_ text: String) -> String { "'\(text)' is not an email address; write name@example.com or an ${ENV_VAR} reference" }
    static func badEnvReference(_ text: String) -> String {
        "'\(text)' is not a valid ${ENV_VAR} reference; write ${NAME} with letters, digits and _"
    }
    static func badURL(_ text: String) -> String {
        "'\(text)' is not an http(s) URL; write https://… or an ${ENV_VAR} reference (keep secrets out of git)"
    }
    static let staleWithoutEvent = "'stale_after' has no effect unless 'on' includes stale; add stale to 'on' or remove it"
    static func badLabelKey(_ key: String) -> String { "label key '\(key)' must be 1-63 letters, digits, '.', '-', '_' or '/'" }
    static func badSlurmMem(_ text: String) -> String { "'slurm.mem' is '\(text)'; write a number with an optional unit K, M, G or T, e.g. 8G" }
    static func badSlurmTime(_ text: String) -> String {
        "'slurm.time' is '\(text)'; write MM, HH:MM:SS or D-HH:MM:SS as sbatch --time takes it, e.g. \"02:00:00\""
    }
    static let emptyTrigger = "'trigger' is empty; set any new value (e.g. today's date) to run once on the next reconcile, or remove it"
    static func badPath(_ field: String) -> String { "'\(field)' must be a relative path inside the repository or an absolute path" }

    static func formatNumber(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }
}
