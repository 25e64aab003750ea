import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct ExamplesTests {
    /// Each broken file in examples/invalid/ has its expected diagnostics beside it, as `NAME.expected`.
    @Test func invalidExamplesMatchTheirGoldenDiagnostics() throws {
        let folder = repositoryRoot.appendingPathComponent("examples/invalid")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count >= 15)
        FileManager.default.changeCurrentDirectoryPath(repositoryRoot.path)
        for name in names {
            let path = "examples/invalid/\(name)"
            let report = Validator.validate(paths: [path], context: ValidationContext())
            #expect(report.errorCount > 0, "\(name) should have errors")
            let text = report.diagnostics.map { DiagnosticRenderer().render($0) }.joined()
            try expectGolden(text, path: "examples/invalid/" + name.dropLast(5) + ".expected")
        }
    }

    @Test func theRealSchedulesAreValidWithoutWarnings() {
        FileManager.default.changeCurrentDirectoryPath(repositoryRoot.path)
        let report = Validator.validate(paths: ["schedules"], context: ValidationContext())
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics.map { DiagnosticRenderer().render($0) })")
        #expect(report.schedules.map(\.model).sorted() == ["attrition", "attrition-python", "duration", "performance", "risk"])
    }

    @Test func theCommittedSchemaMatchesTheCatalogue() throws {
        try expectGolden(ScheduleSchema.document.pretty, path: "schedules/schedule.schema.json")
    }

    @Test func everyDocumentedTemplateValidates() {
        for model in ModelCatalogue.names {
            let text = ScheduleTemplate.render(
                id: "x", model: model, start: "2026-12-01 02:00", repeatRule: "30 2 * * 1", timezone: "Europe/Madrid", command: nil)
            let loaded = ScheduleLoader.decode(bytes: Array(text.utf8), path: "x.yaml", id: "x", context: ValidationContext())
            #expect(loaded.diagnostics.isEmpty, "\(model): \(loaded.diagnostics.map(\.message))")
        }
    }
}
