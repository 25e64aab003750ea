import Glibc
import Synchronization

/// Which IANA zone names exist, read from the system's zoneinfo files (Debian's tzdata).
public enum TimeZoneDatabase {
    /// Where the TZif files live: `$TZDIR` when set (as glibc reads it), else Debian's tzdata folder.
    public static let directory: String = {
        if let dir = getenv("TZDIR").map({ String(cString: $0) }), !dir.isEmpty { return dir.hasSuffix("/") ? String(dir.dropLast()) : dir }
        return "/usr/share/zoneinfo"
    }()

    /// Whether the zone database is there at all (a slim image without tzdata has no folder, or an
    /// empty one): then an unknown zone is a missing package, not a misspelling.
    public static var isInstalled: Bool {
        var info = stat()
        return stat(directory + "/Europe/Madrid", &info) == 0 || stat(directory + "/Etc/UTC", &info) == 0
    }

    private static let loaded = Mutex<[String: ZoneRules]>(["UTC": .fixed(name: "UTC", offset: 0)])

    /// The rules of zone `name`, read once per process; nil when it does not exist or is unreadable.
    public static func rules(for name: String) -> ZoneRules? {
        if let cached = loaded.withLock({ $0[name] }) { return cached }
        guard isSafe(name), case .success(let bytes) = SourceFile.read(directory + "/" + name, limit: 1 << 20),
            let rules = ZoneRules(name: name, tzif: bytes)
        else { return nil }
        loaded.withLock { $0[name] = rules }
        return rules
    }
    private static let allNames = Mutex<[String]?>(nil)

    /// True when `name` is a zone whose rules can be read. Validation and slot math share one read
    /// and one parse per zone: the rules cached by `rules(for:)`.
    public static func exists(_ name: String) -> Bool {
        rules(for: name) != nil
    }

    /// The closest known zone name, for "did you mean".
    public static func suggestion(for name: String) -> String? {
        let names = allNames.withLock { cached -> [String] in
            if let cached { return cached }
            let found = list(directory, prefix: "")
            cached = found
            return found
        }
        let lowered = name.lowercased()
        if let exact = names.first(where: { $0.lowercased() == lowered }) { return exact }
        return Suggestion.closest(to: name, in: names)
    }

    private static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/").contains("..") && !name.contains("\0")
            && name.utf8.count < 128
    }

    private static func list(_ path: String, prefix: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = FileSystem.nameString(of: entry)
            if name.hasPrefix(".") || name == "posix" || name == "right" || name.hasSuffix(".tab") || name.hasSuffix(".zi") { continue }
            let full = path + "/" + name
            var info = stat()
            guard stat(full, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                names += list(full, prefix: prefix + name + "/")
            } else if name.first?.isUppercase == true {
                names.append(prefix + name)
            }
        }
        return names.sorted()
    }
}
