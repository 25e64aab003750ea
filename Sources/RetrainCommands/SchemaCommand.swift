import ArgumentParser
import RetrainCore

/// `retrain schema`: the JSON Schema of schedule files.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of schedule files, for editors.",
        discussion: """
            Committed as schedules/schedule.schema.json; a schedule that starts with `# yaml-language-server: $schema=schedule.schema.json` gets completion and checks in editors that use yaml-language-server. `retrain validate` remains the authority.

            Example:
              retrain schema > schedules/schedule.schema.json
            """
    )

    func run() throws {
        Output.stdout(ScheduleSchema.document.pretty)
    }
}
