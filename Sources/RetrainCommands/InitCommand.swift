import ArgumentParser
import Glibc
import RetrainCore

/// `retrain init [--ci github|gitlab]`: make a git repository a retrain repository.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up the current git repository for retrain: an example schedule, the schema, retrain.yaml, .gitignore, a CI job.",
        discussion: """
            Writes schedules/example.yaml (commented, enabled: false until its data is in place), schedules/schedule.schema.json, retrain.yaml with every setting commented, and the .gitignore lines for what retrain writes (.retrain/, reports/, models/). With --ci, the CI job that checks pull requests: .github/workflows/retrain.yml, or .gitlab/retrain.gitlab-ci.yml and a .gitlab-ci.yml that includes it. It never overwrites a file; it says which it left alone. Afterwards `retrain validate` passes and `retrain plan` works.

            The CI job builds retrain from its own source (--source, else the CI system's RETRAIN_GIT variable) at --ref, and caches it by that ref.

            Examples:
              retrain init
              retrain init --ci gitlab --source https://git.example.com/retrain.git

            Exit codes: 0 done, 1 a file could not be written, 2 usage error.
            """
    )

    @Option(
        help: "Write the CI job for github or gitlab.",
        transform: { text in
            guard let ci = RepositoryInit.CI(rawValue: text) else { throw ValidationError("'\(text)' is not a CI system here; use github or gitlab") }
            return ci
        })
    var ci: RepositoryInit.CI?

    @Option(help: "retrain's git URL, written into the CI job (default: the CI system's variable, set once).")
    var source: String?

    @Option(help: "The retrain tag or commit the CI job builds (default: v<this version>).")
    var ref: String = "v" + RetrainVersion.current

    @Option(help: "Output format: table or json.", transform: OutputFormat.only(.table, .json))
    var format: OutputFormat = .table

    @OptionGroup var clock: ClockOptions

    func validate() throws {
        if source != nil && ci == nil { throw ValidationError("--source is for the CI job; give --ci github or --ci gitlab too") }
        if let source, source.isEmpty || source.contains(where: { $0.isWhitespace || $0.isNewline }) {
            throw ValidationError("--source '\(source)' is not a git URL (no spaces or line breaks)")
        }
        if ref.isEmpty || ref.hasPrefix("-") || ref.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--ref '\(ref)' is not a git tag or commit")
        }
    }

    func run() throws {
        var info = stat()
        let inGit = stat(".git", &info) == 0 || Self.insideWorkTree()
        let job = RepositoryInit(ci: ci, source: source, ref: ref, now: try clock.running().now())
        if !inGit { Output.problem("init", "warning: this folder is not in a git repository; retrain reads schedules from one (run `git init`)") }
        try Output.render(try job.run(root: Workspace.currentDirectory(), inGit: inGit), as: format)
    }

    /// Whether a parent folder holds `.git` (the repository's root is above).
    static func insideWorkTree() -> Bool {
        var folder = Workspace.currentDirectory()
        while let slash = folder.lastIndex(of: "/"), !folder.isEmpty {
            folder = String(folder[..<slash])
            var info = stat()
            if stat((folder.isEmpty ? "" : folder) + "/.git", &info) == 0 { return true }
        }
        return false
    }
}
