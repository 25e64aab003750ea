public import RetrainYAML

/// Turns the node tree of one schedule file into a `ScheduleSpec`, reporting every problem.
public enum ScheduleDecoder {
    /// The highest format version this build reads.
    public static let supportedVersion = 1

    /// Every key a schedule may have, in documentation order.
    public static let keys: [String] = [
        "version", "model", "description", "enabled", "start", "timezone", "repeat", "end", "catchup", "deadline",
        "on_data_change", "keep_runs", "data", "target", "features", "params", "command", "timeout", "retries", "retry_delay", "executor", "slurm",
        "gates", "notify", "labels", "trigger",
    ]

    static let keySet = KeySet(keys)
    static let notifyKeys = KeySet(["email", "on", "stale_after", "webhook"])
    static let slurmKeys = KeySet(["partition", "account", "qos", "cpus", "gpus", "gres", "mem", "time", "constraint", "extra_args"])
    static let paramNames = KeySet(ModelCatalogue.parameters.map(\.name))

    /// Decodes `root`; returns nil when any error was found (the reader holds them all).
    public static func decode(id: String, root: YAMLNode, context: ValidationContext, reader: inout NodeReader) -> ScheduleSpec? {
        guard let f = reader.fields(root, what: "a schedule", allowed: keySet) else { return nil }
        let errorsBefore = reader.sink.items.count { $0.severity == .error }

        if let node = f["version"], let version = reader.int(node, field: "version", range: 1...Int.max) {
            if version > supportedVersion {
                reader.sink.error(Messages.newerVersion(version, supported: supportedVersion), at: node.mark)
                return nil
            }
        }
        let model = f["model"].flatMap { node -> String? in
            guard let name = reader.text(node, field: "model") else { return nil }
            guard isName(name) else {
                reader.sink.error(Messages.badModelName, at: node.mark)
                return nil
            }
            return name
        }
        if f["model"] == nil { reader.sink.error(Messages.missing("model", in: "the schedule", hint: Messages.missingModel), at: root.mark) }
        let start = f["start"].flatMap { reader.parsed($0, field: "start", LocalDateTime.parse) }
        if f["start"] == nil { reader.sink.error(Messages.missing("start", in: "the schedule", hint: Messages.missingStart), at: root.mark) }

        var spec = ScheduleSpec(id: id, model: model ?? "", start: start ?? LocalDateTime(year: 1970, month: 1, day: 1))
        if let node = f["description"] { spec.description = reader.text(node, field: "description", allowEmpty: true) }
        if let node = f["enabled"] { spec.enabled = reader.bool(node, field: "enabled") ?? true }
        if let node = f["timezone"], let zone = reader.text(node, field: "timezone") {
            if TimeZoneDatabase.exists(zone) {
                spec.timezone = zone
            } else {
                if TimeZoneDatabase.isInstalled {
                    reader.sink.error(Messages.unknownTimezone(zone, suggestion: TimeZoneDatabase.suggestion(for: zone)), at: node.mark)
                } else {
                    reader.sink.error(Messages.noZoneDatabase(zone, directory: TimeZoneDatabase.directory), at: node.mark)
                }
            }
        }
        if let node = f["repeat"] { spec.repeatRule = decodeRepeat(node, reader: &reader) ?? .once }
        if let node = f["end"], let end = reader.parsed(node, field: "end", LocalDateTime.parse) {
            spec.end = end
            if let start, endInstantBound(end) <= start {
                reader.sink.error(Messages.endBeforeStart(end, start), at: node.mark)
            } else if f["repeat"] == nil || spec.repeatRule == .once {
                reader.sink.warning(Messages.endWithOnce, at: node.mark)
            }
        }
        if let node = f["catchup"] { spec.catchup = reader.choice(node, field: "catchup", as: ScheduleSpec.Catchup.self) ?? .latest }
        if let node = f["deadline"] { spec.deadline = reader.duration(node, field: "deadline") }
        if let node = f["on_data_change"] { spec.onDataChange = reader.bool(node, field: "on_data_change") ?? false }
        if let node = f["keep_runs"] { spec.keepRuns = reader.int(node, field: "keep_runs", range: 1...100_000) }
        if let node = f["data"] { spec.data = reader.text(node, field: "data") }
        if let node = f["target"] { spec.target = reader.text(node, field: "target") }
        if let node = f["features"] { spec.features = reader.textList(node, field: "features") }
        if let node = f["command"] {
            if case .scalar(let text, let style) = node.content, ScalarValue(text, style: style) != .null {
                reader.sink.error(Messages.commandNotList(text), at: node.mark)
            } else {
                spec.command = reader.textList(node, field: "command")
            }
        }
        if let node = f["timeout"] { spec.timeout = reader.duration(node, field: "timeout") ?? spec.timeout }
        if let node = f["retries"] { spec.retries = reader.int(node, field: "retries", range: 0...100) ?? 0 }
        if let node = f["retry_delay"] { spec.retryDelay = reader.duration(node, field: "retry_delay") ?? spec.retryDelay }
        if let node = f["executor"] { spec.executor = reader.choice(node, field: "executor", as: ScheduleSpec.Executor.self) }
        if let node = f["slurm"] { spec.slurm = decodeSlurm(node, reader: &reader) }
        if let node = f["notify"] { spec.notify = decodeNotify(node, reader: &reader) }
        if let node = f["labels"] { spec.labels = decodeLabels(node, reader: &reader) }
        if let node = f["trigger"] {
            if case .scalar(let text, let style) = node.content, case .int = ScalarValue(text, style: style) {
                spec.trigger = text
            } else if let text = reader.text(node, field: "trigger", allowEmpty: true) {
                if text.isEmpty { reader.sink.error(Messages.emptyTrigger, at: node.mark) } else { spec.trigger = text }
            }
        }

        // Which trainer, and what it needs. A `command` key means an external trainer even when its
        // value is wrong, so its mistakes are not reported as a built-in model's missing fields.
        let external = f["command"] != nil
        let builtin = external ? nil : ModelCatalogue.model(named: spec.model)
        if let node = f["model"], model != nil, !external, builtin == nil {
            reader.sink.error(Messages.unknownModel(spec.model), at: node.mark)
        }
        if let builtin {
            for key in ["data", "target"] where f[key] == nil {
                reader.sink.error(Messages.missing(key, in: "the schedule", hint: Messages.builtinNeeds(key, model: builtin.name)), at: root.mark)
            }
            if let node = f["data"], let data = spec.data {
                if data.containsBytes("://") {
                    reader.sink.error(Messages.builtinDataURL, at: node.mark)
                } else if !data.hasSuffixIgnoringASCIICase(".csv") {
                    reader.sink.error(Messages.builtinDataCSV, at: node.mark)
                } else if escapesRoot(data) {
                    reader.sink.error(Messages.dataEscapes, at: node.mark)
                } else if data.hasPrefix("/") && !FileSystem.isUnder(data, anyOf: context.dataRoots) {
                    reader.sink.error(Messages.builtinDataAbsolute(roots: context.dataRoots), at: node.mark)
                } else if let root = context.repositoryRoot, let resolved = FileSystem.resolvedOutside(data, root: root, dataRoots: context.dataRoots)
                {
                    reader.sink.error(Messages.builtinDataLinkedOut(resolved), at: node.mark)
                } else if context.checksData, let root = context.repositoryRoot, let target = spec.target {
                    DataCheck.check(
                        data: data, root: root, target: target, features: spec.features ?? [], model: builtin,
                        marks: .init(data: node.mark, target: f["target"]?.mark, features: f["features"]?.sequence?.map(\.mark) ?? []),
                        sink: &reader.sink)
                }
            }
        }
        if let node = f["params"] {
            spec.params = decodeParams(node, builtin: builtin, reader: &reader)
        }
        if let target = spec.target, let features = spec.features, let node = f["features"],
            let index = features.firstIndex(of: target)
        {
            reader.sink.error(Messages.featureIsTarget(target), at: node.sequence?[index].mark ?? node.mark)
        }
        if let node = f["gates"] { spec.gates = decodeGates(node, builtin: builtin, reader: &reader) }
        if let node = f["slurm"], (spec.executor ?? context.defaultExecutor) != .slurm {
            reader.sink.error(Messages.slurmWithoutExecutor, at: node.mark)
        }
        if let command = spec.command, let allowed = context.allowedCommands, let node = f["command"],
            !allowed.contains(where: { command.starts(with: $0) })
        {
            reader.sink.error(Messages.commandNotAllowed(command), at: node.mark)
        }

        let errorsAfter = reader.sink.items.count { $0.severity == .error }
        return errorsAfter == errorsBefore ? spec : nil
    }

    /// The first instant `end` excludes: a date alone covers that whole day.
    static func endInstantBound(_ end: LocalDateTime) -> LocalDateTime {
        guard end.dateOnly else { return end }
        var next = end
        next.hour = 23
        next.minute = 59
        next.second = 59
        return next
    }

    static func isName(_ name: String) -> Bool {
        name.withUTF8Bytes { b in
            guard (1...64).contains(b.count) else { return false }
            return b.allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
            }
        }
    }

    /// True when a relative path climbs above the repository root.
    public static func escapesRoot(_ path: String) -> Bool {
        var copy = path
        return copy.withUTF8 { b in
            guard b.first != UInt8(ascii: "/") else { return false }
            var depth = 0
            var start = 0
            for i in 0...b.count where i == b.count || b[i] == UInt8(ascii: "/") {
                let length = i - start
                if length == 2, b[start] == UInt8(ascii: "."), b[start + 1] == UInt8(ascii: ".") {
                    depth -= 1
                    if depth < 0 { return true }
                } else if length > 0, !(length == 1 && b[start] == UInt8(ascii: ".")) {
                    depth += 1
                }
                start = i + 1
            }
            return false
        }
    }

    static func decodeRepeat(_ node: YAMLNode, reader: inout NodeReader) -> ScheduleSpec.Repeat? {
        guard let text = reader.text(node, field: "repeat") else { return nil }
        switch text {
        case "once": return .once
        case "daily": return .daily
        case "weekly": return .weekly
        case "monthly": return .monthly
        default: break
        }
        let isCron = text.hasPrefix("@") || text.utf8.contains(UInt8(ascii: " "))
        guard isCron else {
            reader.sink.error(Messages.badRepeat(text) + Suggestion.hint(for: text, in: ["once", "daily", "weekly", "monthly"]), at: node.mark)
            return nil
        }
        switch CronExpression.parse(text) {
        case .success(let e): return .cron(e)
        case .failure(let error):
            reader.sink.error("'repeat': \(error.message)", at: NodeReader.mark(in: node, offset: error.offset))
            return nil
        }
    }

    static func decodeParams(_ node: YAMLNode, builtin: BuiltinModel?, reader: inout NodeReader) -> [(String, ParamValue)] {
        guard let builtin else {
            if case .map(let pairs)? = reader.paramValue(node, field: "params") { return pairs }
            if node.mapping == nil { reader.sink.error(Messages.notAMapping("'params'", found: NodeReader.describe(node)), at: node.mark) }
            return []
        }
        // Unknown names are reported here rather than by `fields`, to name the model and its parameters.
        guard let f = reader.fields(node, what: "'params'", allowed: nil) else { return [] }
        var out: [(String, ParamValue)] = []
        out.reserveCapacity(f.entries.count)
        for entry in f.entries {
            guard let index = paramNames.index(of: entry.key) else {
                reader.sink.error(Messages.unknownParam(entry.key, model: builtin.name), at: entry.keyMark)
                continue
            }
            let info = ModelCatalogue.parameters[index]
            if let value = checkParam(entry.value, key: entry.key, info: info, reader: &reader) { out.append((entry.key, value)) }
        }
        return out
    }

    static func checkParam(_ node: YAMLNode, key: String, info: ParameterInfo, reader: inout NodeReader) -> ParamValue? {
        func scalarValue(_ n: YAMLNode) -> ScalarValue? {
            guard case .scalar(let t, let s) = n.content else { return nil }
            return ScalarValue(t, style: s)
        }
        func inRange(_ n: YAMLNode, _ v: Double) -> Bool {
            if v < info.minimum || v > info.maximum {
                reader.sink.error(Messages.paramRange(key, value: n.scalar ?? "", info), at: n.mark)
                return false
            }
            return true
        }
        switch info.kind {
        case .integer:
            guard case .int(let v)? = scalarValue(node) else {
                reader.sink.error(Messages.paramType(key, info, found: NodeReader.describe(node)), at: node.mark)
                return nil
            }
            return inRange(node, Double(v)) ? .int(v) : nil
        case .number:
            let v: Double
            switch scalarValue(node) {
            case .int(let i)?: v = Double(i)
            case .float(let d)? where d.isFinite: v = d
            default:
                reader.sink.error(Messages.paramType(key, info, found: NodeReader.describe(node)), at: node.mark)
                return nil
            }
            return inRange(node, v) ? .float(v) : nil
        case .integerList(let maxCount):
            guard let items = node.sequence else {
                reader.sink.error(Messages.paramType(key, info, found: NodeReader.describe(node)), at: node.mark)
                return nil
            }
            guard items.count <= maxCount else {
                reader.sink.error(Messages.paramListLength(key, count: items.count, max: maxCount), at: node.mark)
                return nil
            }
            var out: [ParamValue] = []
            for item in items {
                guard case .int(let v)? = scalarValue(item) else {
                    reader.sink.error(Messages.paramType(key, info, found: NodeReader.describe(item)), at: item.mark)
                    return nil
                }
                guard inRange(item, Double(v)) else { return nil }
                out.append(.int(v))
            }
            return .list(out)
        }
    }

    static func decodeGates(_ node: YAMLNode, builtin: BuiltinModel?, reader: inout NodeReader) -> [Gate] {
        guard let items = node.sequence else {
            reader.sink.error(
                Messages.wrongType("gates", expected: "a list of gates like 'auc >= 0.80'", found: NodeReader.describe(node)), at: node.mark)
            return []
        }
        var gates: [Gate] = []
        gates.reserveCapacity(items.count)
        for item in items {
            guard let text = item.scalar, item.scalarStyle != .plain || ScalarValue(text, style: .plain) == .string(text) else {
                reader.sink.error(Messages.gateNotText(found: NodeReader.describe(item)), at: item.mark)
                continue
            }
            switch Gate.parse(text) {
            case .failure(let error):
                reader.sink.error("gate '\(text)': \(error.message)", at: NodeReader.mark(in: item, offset: error.offset))
            case .success(let gate):
                if let builtin {
                    guard let metric = builtin.metric(named: gate.metric) else {
                        reader.sink.error(Messages.gateMetric(gate.metric, model: builtin), at: item.mark)
                        continue
                    }
                    if let ref = gate.referencedMetric, builtin.metric(named: ref) == nil {
                        reader.sink.error(
                            Messages.gateMetric(ref, model: builtin),
                            at: NodeReader.mark(in: item, offset: gate.referenceOffset ?? 0))
                        continue
                    }
                    let upward = gate.comparison == .greater || gate.comparison == .greaterOrEqual
                    if upward != (metric.better == .higher) {
                        reader.sink.warning(Messages.gateDirection(gate.source, metric), at: NodeReader.mark(in: item, offset: gate.metric.count + 1))
                    }
                }
                gates.append(gate)
            }
        }
        return gates
    }

    static func decodeNotify(_ node: YAMLNode, reader: inout NodeReader) -> NotifySpec? {
        guard let f = reader.fields(node, what: "'notify'", allowed: notifyKeys) else { return nil }
        var notify = NotifySpec()
        if let node = f["email"], let emails = reader.textList(node, field: "notify.email", allowSingle: true) {
            for (i, email) in emails.enumerated() where !isEmailOrReference(email) {
                let at = node.sequence?[i].mark ?? node.mark
                reader.sink.error(email.hasPrefix("${") ? Messages.badEnvReference(email) : Messages.badEmail(email), at: at)
            }
            notify.email = emails
        }
        if let node = f["on"] {
            if let items = node.sequence {
                var events: [NotifySpec.Event] = []
                for item in items {
                    if let event = reader.choice(item, field: "notify.on", as: NotifySpec.Event.self) {
                        if events.contains(event) { reader.sink.error(Messages.duplicateItem("notify.on", event.rawValue), at: item.mark) }
                        events.append(event)
                    }
                }
                notify.on = events
            } else if let event = reader.choice(node, field: "notify.on", as: NotifySpec.Event.self) {
                notify.on = [event]
            }
        }
        if let node = f["stale_after"] {
            notify.staleAfter = reader.duration(node, field: "notify.stale_after")
            if !notify.on.contains(.stale) { reader.sink.warning(Messages.staleWithoutEvent, at: f.keyMark("stale_after")) }
        }
        if let node = f["webhook"], let url = reader.text(node, field: "notify.webhook") {
            if url.hasPrefix("${") {
                if !isEnvReference(url) { reader.sink.error(Messages.badEnvReference(url), at: node.mark) }
            } else if !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.containsBytes(" ") || url.count < 10 {
                reader.sink.error(Messages.badURL(url), at: node.mark)
            }
            notify.webhook = url
        }
        return notify
    }

    static func decodeSlurm(_ node: YAMLNode, reader: inout NodeReader) -> SlurmOptions? {
        guard let f = reader.fields(node, what: "'slurm'", allowed: slurmKeys) else { return nil }
        var slurm = SlurmOptions()
        slurm.partition = f["partition"].flatMap { reader.text($0, field: "slurm.partition") }
        slurm.account = f["account"].flatMap { reader.text($0, field: "slurm.account") }
        slurm.qos = f["qos"].flatMap { reader.text($0, field: "slurm.qos") }
        slurm.constraint = f["constraint"].flatMap { reader.text($0, field: "slurm.constraint") }
        slurm.gres = f["gres"].flatMap { reader.text($0, field: "slurm.gres") }
        slurm.cpus = f["cpus"].flatMap { reader.int($0, field: "slurm.cpus", range: 1...4096) }
        slurm.gpus = f["gpus"].flatMap { reader.int($0, field: "slurm.gpus", range: 0...64) }
        if let node = f["mem"] {
            let text = numberOrText(node, field: "slurm.mem", reader: &reader)
            if let text, isSlurmMem(text) { slurm.mem = text } else if let text { reader.sink.error(Messages.badSlurmMem(text), at: node.mark) }
        }
        if let node = f["time"] {
            let text = numberOrText(node, field: "slurm.time", reader: &reader)
            if let text, isSlurmTime(text) { slurm.time = text } else if let text { reader.sink.error(Messages.badSlurmTime(text), at: node.mark) }
        }
        if let node = f["extra_args"] {
            slurm.extraArgs = reader.textList(node, field: "slurm.extra_args") ?? []
            for (argument, item) in zip(slurm.extraArgs, node.sequence ?? []) {
                if let refusal = SlurmOptions.refusal(of: argument) { reader.sink.error(refusal, at: item.mark) }
            }
        }
        return slurm
    }

    static func decodeLabels(_ node: YAMLNode, reader: inout NodeReader) -> [(String, String)] {
        guard let f = reader.fields(node, what: "'labels'", allowed: nil) else { return [] }
        var labels: [(String, String)] = []
        labels.reserveCapacity(f.entries.count)
        for entry in f.entries {
            let key = entry.key
            guard isLabelKey(key) else {
                reader.sink.error(Messages.badLabelKey(key), at: entry.keyMark)
                continue
            }
            guard case .scalar(let text, let style) = entry.value.content else {
                reader.sink.error(
                    Messages.wrongType("labels.\(key)", expected: "text", found: NodeReader.describe(entry.value)), at: entry.value.mark)
                continue
            }
            if style == .plain, ScalarValue.isCommonYAML11Boolean(text) {
                reader.sink.warning(Messages.yaml11Ambiguous("labels.\(key)", text), at: entry.value.mark)
            }
            labels.append((key, text))
        }
        // Usually written in order already; sorting anyway would copy the array.
        if !labels.indices.dropFirst().allSatisfy({ !codePointLess(labels[$0].0, labels[$0 - 1].0) }) {
            labels.sort { codePointLess($0.0, $1.0) }
        }
        return labels
    }

    static func numberOrText(_ node: YAMLNode, field: String, reader: inout NodeReader) -> String? {
        if case .scalar(let text, let style) = node.content, case .int = ScalarValue(text, style: style) { return text }
        return reader.text(node, field: field)
    }

    static func isSlurmMem(_ s: String) -> Bool {
        var digits = s[...]
        if let last = s.last, "KMGTkmgt".contains(last) { digits = s.dropLast() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isSlurmTime(_ s: String) -> Bool {
        func allDigits(_ x: Substring) -> Bool { !x.isEmpty && x.allSatisfy { $0.isASCII && $0.isNumber } }
        var rest = Substring(s)
        if let dash = s.firstIndex(of: "-") {
            guard allDigits(s[..<dash]) else { return false }
            rest = s[s.index(after: dash)...]
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            return (1...3).contains(parts.count) && parts.allSatisfy(allDigits)
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count) && parts.allSatisfy(allDigits)
    }

    static func isLabelKey(_ key: String) -> Bool {
        key.withUTF8Bytes { b in
            guard (1...63).contains(b.count) else { return false }
            return b.allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E
                    || $0 == 0x2F
            }
        }
    }

    /// `${NAME}` with NAME of ASCII letters, digits and underscores, not starting with a digit.
    public static func isEnvReference(_ s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { b in
            guard b.count > 3, b[0] == UInt8(ascii: "$"), b[1] == UInt8(ascii: "{"), b[b.count - 1] == UInt8(ascii: "}") else { return false }
            @inline(__always) func letter(_ c: UInt8) -> Bool { (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == UInt8(ascii: "_") }
            guard letter(b[2]) else { return false }
            for i in 3..<(b.count - 1) where !(letter(b[i]) || (b[i] >= 0x30 && b[i] <= 0x39)) { return false }
            return true
        }
    }

    /// `local@domain.tld` (one `@`, a dot inside the domain or the domain `localhost`, for the
    /// machine's own mailer; no spaces, brackets or commas) or `${NAME}`.
    static func isEmailOrReference(_ s: String) -> Bool {
        if s.hasPrefix("${") { return isEnvReference(s) }
        var copy = s
        return copy.withUTF8 { b in
            guard let at = b.firstIndex(of: UInt8(ascii: "@")), at > 0, at == b.lastIndex(of: UInt8(ascii: "@")) else { return false }
            let domain = b[(at + 1)...]
            guard let first = domain.first, let last = domain.last, first != UInt8(ascii: "."), last != UInt8(ascii: "."),
                domain.contains(UInt8(ascii: ".")) || domain.elementsEqual("localhost".utf8)
            else { return false }
            return !b.contains { $0 <= 0x20 || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: ",") || $0 == 0x7F }
        }
    }
}
