import ArgumentParser
import Glibc
import RetrainCore

/// Shell completion of schedule ids: the names of the schedule files in the schedules folder
/// (`--schedules` on the command line, else retrain.yaml's, else `schedules`), without `.yaml`.
enum ScheduleIDCompletion {
    static let kind = CompletionKind.custom { words, _, prefix in ids(words: words, prefix: prefix) }

    static func ids(words: [String], prefix: String) -> [String] {
        var folder: String?
        for (i, word) in words.enumerated() {
            if word == "--schedules", i + 1 < words.count { folder = words[i + 1] }
            if word.hasPrefix("--schedules=") { folder = String(word.dropFirst("--schedules=".count)) }
        }
        let config = words.firstIndex(of: "--config").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil } ?? "retrain.yaml"
        let folderPath = folder ?? ScheduleLoader.loadConfig(path: config).0?.schedules ?? "schedules"
        guard let dir = opendir(folderPath) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = FileSystem.nameString(of: entry)
            for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) && !name.hasPrefix(".") {
                let id = String(name.dropLast(suffix.count))
                if id.hasPrefix(prefix) { names.append(id) }
            }
        }
        return names.sorted()
    }
}
