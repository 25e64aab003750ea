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
        // Ids and paths only: a spec is large, and copying 10,000 of them cost more than the stats.
        var watched: [(id: String, data: String)] = []
        for spec in specs where spec.onDataChange {
            // A URI is the trainer's to read (stdlib search: Foundation's `contains` bridges to NSString).
            if let data = spec.data, data.utf8.firstRange(of: "://".utf8) == nil { watched.append((spec.id, data)) }
        }
        guard !watched.isEmpty else { return [:] }
        // On every core: a stat each, and a hash for the files that moved.
        let looks = Parallel.map(watched) { file -> DataSeen? in
            let path = file.data.hasPrefix("/") ? file.data : root + "/" + file.data
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            let size = Int(info.st_size)
            if let known = state.schedules[file.id]?.dataSeen, known.size == size, known.mtime == mtime { return known }
            guard case .success(let print) = DataFingerprint.of(path, displayPath: file.data) else { return nil }
            return DataSeen(sha256: print.sha256, size: size, mtime: mtime)
        }
        var seen: [String: DataSeen] = [:]
        seen.reserveCapacity(watched.count)
        for (file, look) in zip(watched, looks) { seen[file.id] = look }
        return seen
    }

}
