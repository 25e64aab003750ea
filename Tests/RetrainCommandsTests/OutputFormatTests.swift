import ArgumentParser
import Testing

@testable import RetrainCommands

/// The command library in process: one set of formats, each command taking those its results have.
@Suite struct OutputFormatTests {
    @Test func aCommandTakesTheFormatsItHas() throws {
        let parse = OutputFormat.only(.table, .json)
        #expect(try parse("json") == .json)
        #expect(throws: ValidationError.self) { try parse("markdown") }
    }

    @Test func theParserRefusesAFormatACommandDoesNotHaveAsAUsageError() {
        for arguments in [["list", "--format", "markdown"], ["validate", "--format", "table"], ["reconcile", "--format", "github"]] {
            do {
                _ = try Retrain.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(Retrain.exitCode(for: error) == .validationFailure, "\(arguments)")
                #expect(Retrain.message(for: error).contains("is not a format here"), "\(arguments)")
            }
        }
    }

    @Test func everyFormatAskedForIsAccepted() throws {
        let plan = try #require(try Retrain.parseAsRoot(["plan", "--format", "markdown"]) as? PlanCommand)
        #expect(plan.format == .markdown)
        let validate = try #require(try Retrain.parseAsRoot(["validate", "--format", "github"]) as? ValidateCommand)
        #expect(validate.format == .github)
    }
}
