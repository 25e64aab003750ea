import Glibc
import Subprocess
import SystemPackage

extension Executable {
    /// The program of a command line: a path when it holds a `/` (relative ones against
    /// `directory`), else the first file of that name on `PATH` that may be executed, found here as
    /// `execvp` finds it. swift-subprocess looks a bare name up by trying to start it in each `PATH`
    /// folder in turn, one process each (six failed starts, 12 ms, before `git` or `sh` on a
    /// Debian `PATH`). A name found nowhere is left to it, which says so.
    static func resolving(_ program: String, in directory: String? = nil, path: String? = getenv("PATH").map { String(cString: $0) }) -> Executable {
        if program.contains("/") {
            return .path(FilePath(program.hasPrefix("/") || directory == nil ? program : directory! + "/" + program))
        }
        for folder in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            // A relative folder (`.`, or an empty entry) is relative to where the program starts.
            let base = folder.isEmpty ? "." : String(folder)
            let candidate = (base.hasPrefix("/") || directory == nil ? base : directory! + "/" + base) + "/" + program
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return .path(FilePath(candidate)) }
        }
        return .name(program)
    }
}
