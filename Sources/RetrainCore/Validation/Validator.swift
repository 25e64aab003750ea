import Dispatch
import Glibc
import Synchronization

/// What `retrain validate` found.
public struct ValidationReport: Sendable {
    /// Diagnostics to show: sorted by file, line, column; at most 20 per file plus a count of the rest.
    public var diagnostics: [Diagnostic] = []
    /// Every error found, shown or not.
    public var errorCount = 0
    /// Every warning found, shown or not.
    public var warningCount = 0
    /// Schedule files read.
    public var fileCount = 0
    /// The schedules that are valid, sorted by id.
    public var schedules: [ScheduleSpec] = []
    /// Ids of schedule files that exist but have errors, sorted.
    public var invalidIDs: [String] = []
    /// True when nothing is wrong at the given strictness.
    public func passes(strict: Bool) -> Bool { errorCount == 0 && (!strict || warningCount == 0) }
}

/// Validates schedule files and folders, using both cores, reporting every problem in every file.
public enum Validator {
    /// How many problems of one file are shown before the rest are counted.
    public static let shownPerFile = 20

    /// Validates `paths` (files or folders; folders contribute their `*.yaml`/`*.yml`). With
    /// `keepSchedules` false only each file's diagnostics are kept, so memory stays small however
    /// many files there are.
    /// Each spec kept is passed through `trim` on the worker that read it (`ScheduleSpec.forPlanning`).
    public static func validate(
        paths: [String], context: ValidationContext, extra: [Diagnostic] = [], keepSchedules: Bool = true,
        trim: (@Sendable (ScheduleSpec) -> ScheduleSpec)? = nil
    ) -> ValidationReport {
        var asked = context
        asked.hashesSource = keepSchedules
        let context = asked
        var (files, problems) = discover(paths)
        problems += extra
        var report = ValidationReport()
        report.fileCount = files.count
        var all = problems
        // Two files with one id (a.yaml and a.yml): the path first in code-point order keeps the id,
        // whatever order the folder listed them in. Within one folder of .yaml files ids cannot
        // collide, so the common case skips the check.
        var owner: [String: String] = [:]
        if mayShareIDs(files) {
            for file in files {
                if let other = owner[file.id], codePointLess(other, file.path) { continue }
                owner[file.id] = file.path
            }
        }
        func checkUnique(_ file: FileEntry) -> Bool {
            guard !owner.isEmpty, let first = owner[file.id], first != file.path else { return true }
            all.append(Diagnostic(.error, file: file.path, mark: nil, message: Messages.duplicateID(file.id, other: first)))
            return false
        }
        if keepSchedules {
            var loaded = loadAll(files, context: context, trim: trim)
            var valid: [Int] = []  // positions in `loaded` of the specs kept
            valid.reserveCapacity(loaded.count)
            for (index, file) in files.enumerated() {
                if !loaded[index].diagnostics.isEmpty { all += loaded[index].diagnostics }
                if checkUnique(file), case .some = loaded[index].spec {
                    valid.append(index)
                } else if ScheduleLoader.isValidID(file.id) {
                    report.invalidIDs.append(file.id)
                }
            }
            // Specs are large: sort their positions, then move each out once (a copy would retain
            // and later release every string in every spec).
            let ids = valid.map { loaded[$0].id }
            report.schedules = sortedPositions(ofIDs: ids).map { loaded[valid[$0]].spec.take()! }
            report.invalidIDs.sort(by: codePointLess)
        } else {
            let diagnostics = Parallel.map(files) { $0.load(context).diagnostics }
            for (file, found) in zip(files, diagnostics) {
                all += found
                _ = checkUnique(file)
            }
        }
        files = []
        all.sort(by: Diagnostic.sortKey)
        report.errorCount = all.count { $0.severity == .error }
        report.warningCount = all.count { $0.severity == .warning }
        report.diagnostics = capped(all)
        return report
    }

    /// Keeps the first `shownPerFile` diagnostics of each file and adds a count of the rest.
    static func capped(_ sorted: [Diagnostic]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var index = 0
        while index < sorted.count {
            let file = sorted[index].file
            var end = index
            while end < sorted.count, sorted[end].file == file { end += 1 }
            let count = end - index
            out += sorted[index..<min(end, index + shownPerFile)]
            if count > shownPerFile {
                out.append(Diagnostic(.note, file: file, mark: nil, message: Messages.moreProblems(count - shownPerFile)))
            }
            index = end
        }
        return out
    }

    /// A schedule file to read. Only the name is made while listing (on one thread); the path and
    /// id are derived where the file is read, on every core.
    public struct FileEntry: Sendable {
        /// The folder it was listed from, or nil when the path was given as a file.
        public let folder: String?
        /// The name in the folder, or the whole path when given as a file.
        public let name: String
        /// The listed folder, open, so the file is opened relative to it (one path component for the
        /// kernel to resolve instead of all of them); nil for files given by path.
        let directory: Int32?

        init(folder: String?, name: String, directory: Int32? = nil) {
            self.folder = folder
            self.name = name
            self.directory = directory
        }

        /// Reads and decodes the file.
        func load(_ context: ValidationContext) -> LoadedSchedule {
            ScheduleLoader.load(path: path, id: id, context: context, directory: directory, name: name)
        }

        /// The path, as given or joined to the folder given.
        public var path: String { folder.map { $0 + "/" + name } ?? name }
        /// The schedule id: the file name without `.yaml`/`.yml`.
        public var id: String { Validator.stem(of: folder == nil ? Validator.basename(name) : name) }
    }

    /// False when the files cannot share an id: all listed from one folder, none ending in `.yml`.
    static func mayShareIDs(_ files: [FileEntry]) -> Bool {
        guard let first = files.first else { return false }
        return files.contains { $0.folder == nil || $0.folder != first.folder || $0.name.hasSuffix(".yml") }
    }

    /// Expands folders into their schedule files (in the folder's listing order) and refuses what is
    /// not one.
    public static func discover(_ paths: [String]) -> ([FileEntry], [Diagnostic]) {
        var files: [FileEntry] = []
        var problems: [Diagnostic] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                problems.append(Diagnostic(.error, file: path, mark: nil, message: Messages.noSuchPath(path)))
                continue
            }
            if (info.st_mode & S_IFMT) != S_IFDIR {
                files.append(FileEntry(folder: nil, name: path))
                continue
            }
            let folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
            // readdir's d_type says which entries are plain files, so only symlinks and the rare
            // filesystem that reports DT_UNKNOWN cost an extra stat.
            var entries: [(name: String, type: UInt8)] = []
            // Kept open until the process exits: files are opened relative to it while validating.
            let directory = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            let listedFrom: Int32? = directory >= 0 ? directory : nil
            if let dir = opendir(folder) {
                while let entry = readdir(dir) {
                    let type = FileSystem.type(of: entry)
                    // Look at the raw name first: most folders hold only schedules, but a String is
                    // made only for names that qualify.
                    let bytes = FileSystem.name(of: entry)
                    guard !bytes.isEmpty, bytes[0] != UInt8(ascii: "."), bytes.hasSchedulesSuffix else { continue }
                    entries.append((String(decoding: bytes, as: UTF8.self), type))
                }
                closedir(dir)
            }
            if entries.isEmpty { problems.append(Diagnostic(.warning, file: path, mark: nil, message: Messages.noSchedules(path))) }
            var realFolder: String?
            for (name, type) in entries {
                if type == UInt8(DT_REG) {
                    files.append(FileEntry(folder: folder, name: name, directory: listedFrom))
                    continue
                }
                let full = folder + "/" + name
                var link = stat()
                guard lstat(full, &link) == 0 else { continue }
                if (link.st_mode & S_IFMT) == S_IFLNK {
                    if realFolder == nil { realFolder = realPath(folder) ?? folder }
                    let target = realPath(full)
                    guard let target, target.hasPrefix(realFolder! + "/") else {
                        problems.append(Diagnostic(.error, file: full, mark: nil, message: Messages.symlinkOutside(target ?? "a missing file")))
                        continue
                    }
                    var t = stat()
                    guard stat(target, &t) == 0, (t.st_mode & S_IFMT) == S_IFREG else {
                        problems.append(Diagnostic(.error, file: full, mark: nil, message: Messages.notRegularFile))
                        continue
                    }
                } else if (link.st_mode & S_IFMT) != S_IFREG {
                    problems.append(Diagnostic(.error, file: full, mark: nil, message: Messages.notRegularFile))
                    continue
                }
                files.append(FileEntry(folder: folder, name: name, directory: listedFrom))
            }
        }
        return (files, problems)
    }

    /// Loads every file, spreading the work over the machine's cores.
    public static func loadAll(_ files: [FileEntry], context: ValidationContext, trim: (@Sendable (ScheduleSpec) -> ScheduleSpec)? = nil)
        -> [LoadedSchedule]
    {
        Parallel.map(files) { file in
            var loaded = file.load(context)
            if let trim, let spec = loaded.spec.take() { loaded.spec = trim(spec) }
            return loaded
        }
    }

    static func stem(of name: String) -> String {
        if name.hasSuffix(".yaml") { return String(name.dropLast(5)) }
        if name.hasSuffix(".yml") { return String(name.dropLast(4)) }
        return name
    }

    static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Ends in `.yaml` or `.yml`.
    var hasSchedulesSuffix: Bool {
        func ends(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            guard count > n else { return false }
            for i in 0..<n where self[count - n + i] != suffix.utf8Start[i] { return false }
            return true
        }
        return ends(".yaml") || ends(".yml")
    }
}
