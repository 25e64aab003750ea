import ArgumentParser
import Foundation
import Testing

@testable import RetrainCommands

/// `--help` of every command ends with real examples; each example parses as that command.
@Suite struct HelpTests {
    static let commands: [ParsableCommand.Type] = Retrain.configuration.subcommands.filter { $0.configuration.shouldDisplay }

    @Test func everyCommandsHelpEndsWithExamplesThatParse() throws {
        for command in Self.commands {
            let name = command.configuration.commandName!
            let help = examplesLast(Retrain.helpMessage(for: command))
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            let start = try #require(lines.lastIndex { $0 == "EXAMPLES:" || $0 == "EXAMPLE:" }, "\(name): no EXAMPLES: in\n\(help)")
            let examples = lines[(start + 1)...].filter { !$0.isEmpty }
            #expect(
                examples.first?.hasPrefix("  retrain \(name)") == true && examples.allSatisfy { $0.hasPrefix("  retrain ") },
                "\(name): \(examples)\n\(help)")
            for example in examples {
                // Words as a shell would split them (quotes kept together), up to a comment or redirection.
                var words: [String] = []
                var word = ""
                var quote: Character?
                for c in example.dropFirst(2) {
                    if let q = quote {
                        if c == q { quote = nil } else { word.append(c) }
                    } else if c == "'" || c == "\"" {
                        quote = c
                    } else if c == " " {
                        if !word.isEmpty { words.append(word) }
                        word = ""
                    } else {
                        word.append(c)
                    }
                }
                if !word.isEmpty { words.append(word) }
                let argv = Array(words.dropFirst().prefix { $0 != "#" && $0 != ">" && $0 != "&&" })
                #expect(throws: Never.self, "\(example)") { _ = try Retrain.parseAsRoot(argv) }
            }
        }
    }

    /// `show <TAB>` offers the schedule ids (what bash's completion script asks the binary for).
    @Test func scheduleIDsCompleteFromTheSchedulesFolder() throws {
        let root = try scratchRepository()
        for id in ["churn-daily", "churn-weekly", "risk"] {
            try "model: m\n".write(to: root.appendingPathComponent("schedules/\(id).yaml"), atomically: false, encoding: .utf8)
        }
        let all = try retrain(["---completion", "show", "--", "positional@0", "2", "0", "retrain", "show", ""], in: root)
        #expect(all.stdout == "churn-daily\nchurn-weekly\nrisk\n", "\(all.stdout)\(all.stderr)")
        let some = try retrain(["---completion", "cancel", "--", "positional@0", "2", "2", "retrain", "cancel", "ch"], in: root)
        #expect(some.stdout == "churn-daily\nchurn-weekly\n", "\(some.stdout)\(some.stderr)")
        // Another folder, from --schedules on the line being completed.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("other"), withIntermediateDirectories: true)
        try "model: m\n".write(to: root.appendingPathComponent("other/x.yml"), atomically: false, encoding: .utf8)
        let other = try retrain(
            ["---completion", "history", "--", "positional@0", "4", "0", "retrain", "history", "--schedules", "other", ""], in: root)
        #expect(other.stdout == "x\n", "\(other.stdout)\(other.stderr)")
    }
}
