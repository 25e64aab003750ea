import Subprocess

/// Reads the schedule files of a git revision without checking it out. A protocol so the plan's
/// diff can be tested with fixed inputs; `GitCLI` is the real one.
public protocol RevisionReader: Sendable {
    /// The `*.yaml`/`*.yml` files directly in `folder` (relative to the current directory) at `revision`.
    func scheduleFiles(at revision: String, folder: String) async throws -> [(name: String, bytes: [UInt8])]
}

/// Why git could not give the files.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, with git's own words.
    public let message: String
    public var description: String { message }
}

/// `git` on the PATH: `ls-tree` for the names, one `cat-file --batch` for every file's bytes.
public struct GitCLI: RevisionReader {
    /// Creates the reader.
    public init() {}

    public func scheduleFiles(at revision: String, folder: String) async throws -> [(name: String, bytes: [UInt8])] {
        guard !revision.hasPrefix("-") else { throw GitError(message: "'\(revision)' is not a revision") }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        // Outside a work tree git's own words ("fatal: not a git repository…") do not say what to do.
        guard (try? await git(["rev-parse", "--is-inside-work-tree"], input: [])) != nil else {
            throw GitError(
                message:
                    "this folder is not in a git repository, so there is no '\(revision)' to compare with; --base reads the schedules at a git revision (run it in the repository's checkout, or drop --base)"
            )
        }
        let listing = try await git(["ls-tree", "-z", "--name-only", revision, "--", prefix], input: [])
        let names = listing.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            .map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
            .filter { !$0.contains("/") && !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }
        guard !names.isEmpty else { return [] }
        let request = names.map { "\(revision):./\(prefix)\($0)\n" }.joined()
        let batch = try await git(["cat-file", "--batch"], input: Array(request.utf8))
        var files: [(name: String, bytes: [UInt8])] = []
        var i = 0
        for name in names {
            guard let newline = batch[i...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let header = String(decoding: batch[i..<newline], as: UTF8.self).split(separator: " ")
            i = newline + 1
            guard header.count == 3, header[1] == "blob", let size = Int(header[2]), i + size <= batch.count else { continue }
            files.append((name, Array(batch[i..<(i + size)])))
            i += size + 1
        }
        return files
    }

    /// The commit checked out, and which files under `folder` differ from it (staged, unstaged or
    /// untracked), as paths relative to the repository root. Nil outside a git work tree.
    public func workingTree(folder: String) async -> (commit: String, modified: Set<String>)? {
        guard let head = try? await git(["rev-parse", "--verify", "-q", "HEAD"], input: []),
            let status = try? await git(["status", "--porcelain", "-z", "--untracked-files=all", "--", folder], input: [])
        else { return nil }
        let commit = String(decoding: head, as: UTF8.self).trimmingSuffix { $0 == "\n" }
        // Entries are `XY path`; a rename adds its old path as the next entry, which is skipped.
        var modified = Set<String>()
        var skipNext = false
        for entry in status.split(separator: 0) {
            if skipNext {
                skipNext = false
                continue
            }
            guard entry.count > 3 else { continue }
            if entry.first == UInt8(ascii: "R") || entry.first == UInt8(ascii: "C") { skipNext = true }
            modified.insert(String(decoding: entry.dropFirst(3), as: UTF8.self))
        }
        return (commit, modified)
    }

    private func git(_ arguments: [String], input: [UInt8]) async throws -> [UInt8] {
        let result: ExecutionResult<Void, BytesOutput, StringOutput<UTF8>>
        do {
            result = try await run(
                Executable.resolving("git"), arguments: Arguments(arguments), input: .array(input),
                output: .bytes(limit: 256 << 20), error: .string(limit: 64 << 10))
        } catch {
            throw GitError(message: "cannot run git: \(error)")
        }
        guard case .exited(0) = result.terminationStatus else {
            let said = (result.standardError ?? "").split(separator: "\n").first.map(String.init) ?? "\(result.terminationStatus)"
            throw GitError(message: "git \(arguments[0]) failed: \(said)")
        }
        return result.standardOutput
    }
}

extension String {
    /// The string without its trailing characters that match.
    func trimmingSuffix(while match: (Character) -> Bool) -> String {
        var end = endIndex
        while end > startIndex, match(self[index(before: end)]) { end = index(before: end) }
        return String(self[..<end])
    }
}
