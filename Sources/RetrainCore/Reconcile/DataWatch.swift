import Glibc

/// `on_data_change`: each pass looks at the data files of the schedules that ask for it. A file
/// whose size and modification time are what the state last saw is taken as unchanged without
/// reading it; otherwise it is hashed (SHA-256), and only a different hash is a change. So a pass
/// over 10,000 such schedules costs 10,000 `stat` calls, and a file is read only when it was
/// written.
public enum DataWatch {
    /// How each watched schedule's data file looks now, by schedule id (absent: not watched, a URI,
    /// or unreadable; a missing file is not a change).
    public static func observe(_ specs: [ScheduleSpec], state: StateFile, root: String) -> [String: DataSeen] {
        var seen: [String: DataSeen] = [:]
        for spec in specs where spec.onDataChange {
            guard let data = spec.data, !data.contains("://") else { continue }
            let path = data.hasPrefix("/") ? data : root + "/" + data
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            let size = Int(info.st_size)
            if let known = state.schedules[spec.id]?.dataSeen, known.size == size, known.mtime == mtime {
                seen[spec.id] = known
            } else if case .success(let print) = DataFingerprint.of(path, displayPath: data) {
                seen[spec.id] = DataSeen(sha256: print.sha256, size: size, mtime: mtime)
            }
        }
        return seen
    }

}
