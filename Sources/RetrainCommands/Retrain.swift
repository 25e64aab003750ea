import ArgumentParser
import Glibc
import RetrainCore

/// The `retrain` command: schedules and runs model retraining from YAML files in git.
public struct Retrain: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "retrain",
        abstract: "Schedule and run the retraining of machine-learning models from YAML files in git.",
        discussion: """
            Schedules are YAML files in schedules/, one per file; the id is the file name. Check them with `retrain validate`, see the built-in models with `retrain models`, start a new one with `retrain new`.

            Exit codes: 0 success, 1 errors found or a run failed, 2 usage error.

            Examples:
              retrain init --ci github
              retrain validate && retrain plan
              retrain reconcile --wait
            """,
        version: RetrainVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ReconcileCommand.self, RunCommand.self, TrainCommand.self, PredictCommand.self,
            SuperviseCommand.self, NextCommand.self, ListCommand.self, ShowCommand.self, HistoryCommand.self, CompareCommand.self, ReportCommand.self,
            CancelCommand.self, PauseCommand.self, ResumeCommand.self, ModelsCommand.self, SchemaCommand.self, InitCommand.self, NewCommand.self,
            PromoteCommand.self, RollbackCommand.self, BackfillCommand.self, UnlockCommand.self,
        ]
    )

    public init() {}

    /// Parses the command line, runs the command, and exits with 0, 1 or 2.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        if let code = await SuperviseCommand.direct(arguments ?? Array(CommandLine.arguments.dropFirst())) { Glibc.exit(code) }
        var name = "retrain"
        do {
            var command = try parseAsRoot(arguments)
            name = type(of: command).configuration.commandName ?? name
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Glibc.exit(0)
        } catch let error as CommandError {
            // The one place a command's error is printed.
            Output.problem(name, error.message)
            Glibc.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                // Usage errors exit 2 (ArgumentParser's default is 64).
                let message = fullMessage(for: error)
                if !message.isEmpty { Output.stderr(message + "\n") }
                Glibc.exit(2)
            }
            if code == .success, case let message = fullMessage(for: error), message.hasPrefix("OVERVIEW:") {
                // --help: the examples (a paragraph of the discussion, so the man page has them too) last.
                Output.stdout(examplesLast(message) + "\n")
                Glibc.exit(0)
            }
            self.exit(withError: error)
        }
    }
}

/// A command's help with its `Examples:` paragraph moved from the overview to the end, after the
/// options, where a reader of `--help` looks last.
func examplesLast(_ help: String) -> String {
    var lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(where: { $0 == "Examples:" || $0 == "Example:" }) else { return help }
    var end = start + 1
    while end < lines.count && lines[end].hasPrefix("  ") { end += 1 }
    let block = Array(lines[start..<end])
    lines.removeSubrange(start..<min(end + 1, lines.count))  // and the blank line after it
    while lines.last?.isEmpty == true { lines.removeLast() }
    return (lines + [""] + [block[0].uppercased()] + block.dropFirst()).joined(separator: "\n")
}

/// Values a command is done with, left for the process's exit to reclaim: `runMain` exits as soon as
/// the command returns, and freeing 10,000 schedules one string at a time first took 15 ms of `plan`.
enum LeftForExit {
    static func keep<T>(_ value: T) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
