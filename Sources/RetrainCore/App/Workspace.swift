import Glibc
import Synchronization

/// The repository as the commands that act on it see it: settings, validated schedules (their
/// problems in `report`, for the command to print), and a reconciler over its state with the local
/// executor.
public struct Workspace: Sendable {
    public let settings: RepositoryConfig
    public let report: ValidationReport
    public let store: StateStore
    public let root: String
    /// `retrain.yaml` exists and has errors: the defaults stand in for reading, but nothing may act
    /// on them (the state or reports could be in the wrong place).
    public let configBroken: Bool
    /// The state as read while the schedules were, for commands that only read it (nil otherwise).
    let stateRead: Result<StateFile, any Error>?
    /// Set when only this schedule's file was read (`run ID`): the reports rebuild its row and
    /// pages and keep the others' as the last write left them.
    public var only: String? = nil
    /// The paths it was loaded with.
    public var paths: RepositoryPaths
    /// `retrain.yaml`'s path.
    public var configPath: String { paths.config }
    /// The reports' overview as last read or written, shared by the writes of one command.
    let overviewMemo = OverviewMemo()

    /// Reads `retrain.yaml` and the schedules (their diagnostics in `report`). With `readingState`, the
    /// state file is read on a thread of its own meanwhile (the schedules keep every core busy, but
    /// the state's read would otherwise wait for all of them); only for commands that do not lock it.
    /// With `planningOnly` (and `readingState`), the specs hold only what planning reads
    /// (`ScheduleSpec.forPlanning`), with the spec hash taken first where planning compares it: for
    /// a schedule the state knows from another version of its file. Specs read before the state is
    /// are kept whole; nothing waits for it.
    /// With `prefetchingState`, the state file is decoded while the schedules are read, and kept
    /// by the store for the command's first update under the lock, which uses it only if the file
    /// is still the one decoded: a pass reads both at once, not one after the other.
    public static func load(
        _ repository: RepositoryPaths, readingState: Bool = false, prefetchingState: Bool = false, planningOnly: Bool = false
    ) -> Workspace {
        let (config, configDiagnostics, settings) = Self.settings(repository)
        let store = repository.stateStore(settings)
        let state = readingState ? Background { try store.load() } : nil
        let prefetched = prefetchingState && !readingState ? Background { _ = try? store.load() } : nil
        defer { _ = prefetched?.result() }
        @Sendable func forPlanning(_ spec: ScheduleSpec) -> ScheduleSpec {
            guard case .success(let known)? = state?.ifDone() else { return spec }
            guard let entry = known.schedules[spec.id] else { return spec.forPlanning(keepingSpecHash: false) }
            return spec.forPlanning(keepingSpecHash: spec.sourceHash == nil || entry.sourceHash != spec.sourceHash)
        }
        let trim: (@Sendable (ScheduleSpec) -> ScheduleSpec)? = planningOnly ? forPlanning : nil
        let report = validateSchedules(repository, settings: settings, extra: configDiagnostics, trim: trim)
        return Workspace(
            settings: settings, report: report, store: store, root: currentDirectory(),
            configBroken: config == nil, stateRead: state?.result(), paths: repository)
    }

    /// Reads `retrain.yaml` and the file of schedule `id` alone, for `run ID` in a repository of
    /// thousands. Nil, having read nothing, unless the file is plainly `<schedules>/<id>.yaml` (no
    /// symlink, no `<id>.yml` beside it) and the reports have an overview to keep the other rows
    /// from: then read everything.
    public static func load(_ repository: RepositoryPaths, only id: String) -> Workspace? {
        let (config, configDiagnostics, settings) = Self.settings(repository)
        let folder = repository.schedules ?? settings.schedules
        let file = folder + "/" + id + ".yaml"
        var info = stat()
        guard config != nil, FileSystem.isPlainName(id), lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
            !SourceFile.exists(folder + "/" + id + ".yml"), SourceFile.exists(absolute(settings.reports, root: currentDirectory()) + "/overview.json")
        else { return nil }
        let report = Validator.validate(paths: [file], context: settings.validationContext, extra: configDiagnostics)
        return Workspace(
            settings: settings, report: report, store: repository.stateStore(settings), root: currentDirectory(),
            configBroken: false, stateRead: nil, only: id, paths: repository)
    }

    /// The schedules folder validated. The folder the repository names (not one given with
    /// `--schedules`) must be inside it: a merged symlink must not make retrain read and run
    /// schedules from elsewhere, so such a folder is one error and nothing is read from it.
    public static func validateSchedules(
        _ repository: RepositoryPaths, settings: RepositoryConfig, context: ValidationContext? = nil, extra: [Diagnostic],
        keepSchedules: Bool = true, trim: (@Sendable (ScheduleSpec) -> ScheduleSpec)? = nil
    ) -> ValidationReport {
        let folder = repository.schedules ?? settings.schedules
        let context = context ?? settings.validationContext
        guard repository.schedules == nil, let resolved = FileSystem.resolvedOutside(folder, root: currentDirectory()) else {
            return Validator.validate(paths: [folder], context: context, extra: extra, keepSchedules: keepSchedules, trim: trim)
        }
        let message = "the schedules folder resolves to \(resolved), outside the repository; make it a folder of the repository, not a link out of it"
        return Validator.validate(
            paths: [], context: context, extra: extra + [Diagnostic(.error, file: folder, mark: nil, message: message)],
            keepSchedules: keepSchedules)
    }

    /// Stops a command that writes the state or the reports when the schedules folder is missing,
    /// not a folder, or outside the repository (the error is on stderr already): nothing is locked
    /// or written for a repository that is not there.
    public func requireSchedules() throws(CommandError) {
        let folder = paths.schedules ?? settings.schedules
        var info = stat()
        let isFolder = stat(Self.absolute(folder, root: root), &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        let confined = paths.schedules != nil || FileSystem.resolvedOutside(folder, root: root) == nil
        guard !(isFolder && confined) else { return }
        throw CommandError("no schedules folder to act on (above); nothing was done")
    }

    /// `retrain.yaml` as read (nil when it has errors), its diagnostics, and the settings in force:
    /// its own or the defaults, with the command line's `--reports`.
    public static func settings(_ repository: RepositoryPaths) -> (RepositoryConfig?, [Diagnostic], RepositoryConfig) {
        let (config, diagnostics) = repository.loadConfig()
        var settings = config ?? RepositoryConfig()
        if let reports = repository.reports { settings.reports = reports }
        return (config, diagnostics, settings)
    }

    /// The state: the one read alongside the schedules, else read now.
    public func state() throws -> StateFile {
        try stateRead?.get() ?? store.load()
    }

    /// Stops a command that changes things when `retrain.yaml` has errors.
    public func requireConfig() throws(CommandError) {
        guard configBroken else { return }
        throw CommandError("\(configPath) has errors (above); nothing was done. Fix it, then run again")
    }

    /// The reconciler, starting local runs with this very binary as their supervisor.
    public func reconciler(maxParallel: Int? = nil, prune: Bool = false, clockFixed: Bool) -> Reconciler {
        let program = Workspace.executablePath()
        let executor = Executors(
            local: LocalExecutor(repositoryRoot: root, program: program, clockBase: clockFixed),
            slurm: SlurmExecutor(repositoryRoot: root, program: program, clockBase: clockFixed))
        var options = Reconciler.Options(
            reports: settings.reports, models: settings.models, maxParallel: maxParallel ?? settings.maxParallel, prune: prune,
            defaultNotify: settings.defaultNotify)
        options.dataRoots = settings.dataRoots
        options.defaultExecutor = settings.defaultExecutor
        options.defaultSlurm = settings.defaultSlurm
        options.defaultKeepRuns = settings.defaultKeepRuns
        options.hiddenEnvironment = hiddenEnvironment()
        return Reconciler(store: store, executor: executor, options: options, repositoryRoot: root)
    }

    /// The environment variables no trainer gets: those `retrain.yaml` and every schedule's
    /// `notify` refer to. A command that read one schedule's file (`run ID`) adds those the last
    /// reconcile found in the others (`rememberHiddenEnvironment`).
    func hiddenEnvironment() -> Set<String> {
        var names = Set(settings.referencedNames)
        for spec in report.schedules { names.formUnion(spec.notify?.referencedNames ?? []) }
        if only != nil, case .success(let text) = SourceFile.read(hiddenEnvironmentPath, limit: 1 << 20) {
            names.formUnion(String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init))
        }
        return names
    }

    /// `.retrain/hidden-environment`: the names of `hiddenEnvironment`, one a line, as the last
    /// reconcile that read every schedule found them.
    var hiddenEnvironmentPath: String { AtomicFile.folderOf(absolute(store.path)) + "/hidden-environment" }

    /// Writes `hiddenEnvironmentPath` when it changed (a reconcile, having read every schedule).
    public func rememberHiddenEnvironment() {
        guard only == nil else { return }
        let text = Array(hiddenEnvironment().sorted(by: codePointLess).map { $0 + "\n" }.joined().utf8)
        if case .success(let old) = SourceFile.read(hiddenEnvironmentPath, limit: 1 << 20), old == text { return }
        guard SourceFile.makeFolders(AtomicFile.folderOf(hiddenEnvironmentPath)) else { return }
        try? AtomicFile.write(text, to: hiddenEnvironmentPath)
    }

    /// The schedules and the git commit they are at. Outside a git work tree with a commit, runs
    /// are recorded without `git_commit`: `warn` is told so, once a process.
    public func observed(warn: (String) -> Void = { _ in }) async -> Reconciler.Observed {
        let folder = report.schedules.first.map { AtomicFile.folderOf($0.file) } ?? settings.schedules
        let tree = await GitCLI().workingTree(folder: folder)
        if tree == nil, !report.schedules.isEmpty, !Self.warnedOutsideGit.exchange(true, ordering: .relaxed) {
            warn(
                "\(folder) is not in a git work tree with a commit (or git is missing): runs are recorded without the git commit of their schedule; commit the schedules to a git repository to have it"
            )
        }
        return Reconciler.Observed(schedules: report.schedules, invalid: Set(report.invalidIDs), workingTree: tree)
    }

    /// Whether `observed` has said that there is no git work tree.
    static let warnedOutsideGit = Atomic<Bool>(false)

    /// Polls until one of `runs` is no longer running; collects the exited supervisors this process
    /// started (`children`) meanwhile, so none is left a zombie.
    /// Looks every 5 ms at first, then less often, up to every 50 ms (every second for Slurm jobs,
    /// each look a `squeue` call): a run that ends at once is seen at once, and a long local one
    /// costs 20 looks a second. Returns early, with the runs still
    /// going, once `seconds` have passed (nil: no limit); true when one of them ended.
    @discardableResult
    public static func waitForAny(
        _ runs: [ActiveRun], executor: any RunExecutor, clock: RunningClock, children: inout Set<Int32>, seconds: Double? = nil
    )
        async -> Bool
    {
        var pause = 5
        var waited = 0
        let longest = max(Int(executor.pollSeconds(for: runs) * 1000), 5)
        func going(_ observation: RunObservation) -> Bool {
            switch observation {
            case .running, .unknown: true
            default: false
            }
        }
        let reapAll = getpid() == 1
        while executor.observe(all: runs, now: clock.now()).values.allSatisfy(going) {
            LocalExecutor.reap(&children)
            // As PID 1, every orphan in the container is this process's to collect.
            if reapAll { LocalExecutor.reapOrphans() }
            if let seconds, Double(waited) / 1000 >= seconds { return false }
            try? await Task.sleep(for: .milliseconds(pause))
            waited += pause
            pause = min(pause * 2, longest)
        }
        LocalExecutor.reap(&children)
        return true
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        return getcwd(&buffer, buffer.count).map { _ in String(cString: buffer) } ?? "."
    }

    /// This binary, for supervising runs: /proc/self/exe, which survives the binary being replaced.
    public static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(cString: buffer) : CommandLine.arguments[0]
    }
}
