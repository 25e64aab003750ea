import Testing

@testable import RetrainCore

/// How a command's error is said: once, with the command's name, unless it is located already.
@Suite struct CommandErrorTests {
    @Test func aLocatedDiagnosticIsPrintedBareForEditorsAndCI() {
        let damaged = CommandError(".retrain/state.json:1:30: error: the state file is damaged")
        #expect(damaged.line(command: "plan") == ".retrain/state.json:1:30: error: the state file is damaged")
    }

    @Test func anyOtherMessageNamesTheCommand() {
        #expect(CommandError("no runs recorded for 'x'").line(command: "history") == "retrain history: no runs recorded for 'x'")
        // A colon and numbers alone do not make a position.
        #expect(CommandError("cannot write a b:1:2: error: x").line(command: "new") == "retrain new: cannot write a b:1:2: error: x")
    }

    @Test func anErrorKeepsItsExitCode() {
        #expect(CommandError("the schedule would not be valid", exitCode: 2).exitCode == 2)
        #expect(CommandError(CommandError("inner", exitCode: 2)).exitCode == 2)
    }
}
