import Glibc

/// What `retrain init` does, without its command line: the files that make a git repository a
/// retrain repository, each written only when it does not exist (a `.gitignore` gets the lines it
/// lacks appended). Afterwards `retrain validate` passes and `retrain plan` works.
public struct RepositoryInit {
    /// The CI system to write a job for.
    public enum CI: String, CaseIterable, Sendable { case github, gitlab }

    public var ci: CI?
    /// retrain's git URL for the CI job (nil: the CI system's variable).
    public var source: String?
    /// The retrain release the CI job pins (a tag or commit).
    public var ref: String
    /// Today, for the example schedule's start (tomorrow).
    public var now: Instant

    public init(ci: CI?, source: String?, ref: String, now: Instant) {
        self.ci = ci
        self.source = source
        self.ref = ref
        self.now = now
    }

    /// One file and what became of it.
    public struct Step: Sendable, Encodable {
        public enum Action: String, Sendable, Encodable { case created, kept, appended, unchanged }
        public var path: String
        public var action: Action
        /// What it is for, or why it was left alone.
        public var note: String
    }

    /// What `init` did, file by file, and what to do next.
    public struct Report: Presentable {
        public var steps: [Step]
        public var next: [String]

        public func table() -> String {
            TextTable.render(steps.map { [$0.action.rawValue, $0.path, $0.note] }) + "\nnext:\n" + next.map { "  \($0)\n" }.joined()
        }

        public var payload: Payload { Payload(files: steps, next: next) }

        public struct Payload: Encodable {
            public var files: [Step]
            public var next: [String]
        }
    }

    /// The lines a `.gitignore` needs for what retrain writes (the defaults of retrain.yaml's paths),
    /// and the GitLab job's cached tool.
    var ignored: [String] { ["/.retrain/", "/reports/", "/models/"] + (ci == .gitlab ? ["/.retrain-tool/"] : []) }

    /// The files, in the order written: path, text, what it is for.
    func files(schedules: String) -> [(path: String, text: String, note: String)] {
        let day = now.adding(86_400).utc
        let tomorrow = LocalDateTime(year: day.year, month: day.month, day: day.day, dateOnly: true).description
        let example = ScheduleTemplate.render(
            id: "example", model: "attrition", start: "\(tomorrow) 02:00", repeatRule: "weekly", timezone: "UTC", command: nil,
            data: ("data/attrition.csv", "left_company"), enabled: false)
        var out: [(String, String, String)] = [
            (
                schedules + "/example.yaml",
                example.replacing(
                    "# Check with",
                    with: "# An example: the built-in attrition model, weekly. Put a CSV with a header row at data/attrition.csv\n"
                        + "# (or point `data` at yours), then set `enabled: true`. `retrain models` lists the models.\n# Check with",
                    maxReplacements: 1),
                "an example schedule (enabled: false until its data is there)"
            ),
            (schedules + "/schedule.schema.json", ScheduleSchema.document.pretty, "the JSON Schema editors check schedules with"),
            ("retrain.yaml", Self.settings, "the repository's settings, every one commented"),
        ]
        switch ci {
        case .github?:
            out.append((".github/workflows/retrain.yml", CITemplates.github(source: source, ref: ref), "the pull-request check"))
        case .gitlab?:
            out.append((".gitlab/retrain.gitlab-ci.yml", CITemplates.gitlab(source: source, ref: ref), "the merge-request check"))
            out.append((".gitlab-ci.yml", CITemplates.gitlabInclude, "includes the merge-request check"))
        case nil:
            break
        }
        return out
    }

    /// Writes what is missing under `root`. Throws only when a file cannot be written.
    public func run(root: String, schedules: String = "schedules", inGit: Bool) throws(CommandError) -> Report {
        var steps: [Step] = []
        for (path, text, note) in files(schedules: schedules) {
            let absolute = root + "/" + path
            if SourceFile.exists(absolute) {
                var why = "it exists; left as it is"
                if path == ".gitlab-ci.yml" { why = "it exists; add `include: [{local: .gitlab/retrain.gitlab-ci.yml}]` to it" }
                steps.append(Step(path: path, action: .kept, note: why))
                continue
            }
            guard SourceFile.makeFolders(AtomicFile.folderOf(absolute)) else {
                throw CommandError("cannot create the folder of \(path): \(String(cString: strerror(errno)))")
            }
            try Self.create(absolute, text, display: path)
            steps.append(Step(path: path, action: .created, note: note))
        }
        steps.append(try ignore(root: root))
        var next = ["retrain validate", "retrain plan"]
        if !inGit { next.insert("git init (retrain reads schedules from a git repository: `plan --base` and provenance need it)", at: 0) }
        if ci != nil && source == nil {
            next.append(
                ci == .github
                    ? "set the repository variable RETRAIN_GIT to retrain's git URL (Settings → Secrets and variables → Actions → Variables)"
                    : "set the CI/CD variable RETRAIN_GIT_URL to retrain's git URL (Settings → CI/CD → Variables)")
        }
        next.append("git add -A && git commit -m 'retrain: schedules'")
        return Report(steps: steps, next: next)
    }

    /// Appends to `.gitignore` the lines it lacks (creating it when there is none).
    func ignore(root: String) throws(CommandError) -> Step {
        let path = root + "/.gitignore"
        var existing = ""
        if case .success(let bytes) = SourceFile.read(path, limit: 1 << 22) { existing = String(decoding: bytes, as: UTF8.self) }
        let present = Set(existing.split(whereSeparator: \.isNewline).map { String($0).trimmed })
        let missing = ignored.filter { !present.contains($0) && !present.contains(String($0.dropFirst())) }
        guard !missing.isEmpty else { return Step(path: ".gitignore", action: .unchanged, note: "ignores what retrain writes already") }
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        let block =
            separator + (existing.isEmpty ? "" : "\n") + "# written by retrain: its state, reports and models\n"
            + missing.map { $0 + "\n" }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CommandError("cannot write .gitignore: \(String(cString: strerror(errno)))") }
        let bytes = Array(block.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let closed = fsync(fd) == 0 && close(fd) == 0
        guard written == bytes.count, closed else { throw CommandError("writing .gitignore failed: \(String(cString: strerror(errno)))") }
        return Step(
            path: ".gitignore", action: existing.isEmpty ? .created : .appended, note: "ignores \(missing.joined(separator: ", "))")
    }

    /// Writes `text` to a new file at `path`, never over one (O_EXCL), synced; `exists` says why
    /// when the file is there already (also `retrain new`'s).
    public static func create(_ path: String, _ text: String, display: String, exists: String = "it appeared meanwhile; left as it is")
        throws(CommandError)
    {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = errno == EEXIST ? exists : String(cString: strerror(errno))
            throw CommandError("cannot write \(display): \(reason)")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let closed = fsync(fd) == 0 && close(fd) == 0
        guard written == bytes.count, closed else {
            unlink(path)
            throw CommandError("writing \(display) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// `retrain.yaml` as `init` writes it: every setting, the optional ones commented out.
    static let settings = """
        # retrain.yaml: this repository's settings (`retrain validate` checks this file too). Every key is
        # optional; the values below are the defaults.
        version: 1
        schedules: schedules              # the folder of schedule files, one schedule per file
        state: .retrain/state.json        # what retrain remembers between passes (not in git)
        reports: reports                  # run folders, comparisons and the dashboard (not in git)
        models: models                    # trained models (not in git)
        max_parallel: 2                   # most runs going at once
        # email:                          # how notification mail is sent (a sendmail-compatible command)
        #   sendmail: [/usr/sbin/sendmail, -t]
        #   from: retrain@example.com
        # defaults:                       # for schedules that do not say
        #   executor: local               # local | slurm
        #   slurm: {partition: cpu, cpus: 4, mem: 8G}
        #   notify: {email: ["${ML_ALERTS}"], on: [failed, rejected, stale]}
        # allowed_commands:               # when set, external trainers must start with one of these argv prefixes
        #   - [python3, trainers/train.py]
        # data_roots: [/mnt/warehouse/exports]   # absolute folders outside the repository built-in models may read

        """
}
