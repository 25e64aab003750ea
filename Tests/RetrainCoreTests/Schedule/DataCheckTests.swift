import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// `validate --data`: a built-in model's data file read before it trains, each problem at the
/// schedule's `data:`, `target:` or feature.
@Suite struct DataCheckTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-datacheck-\(UUID().uuidString)").path

    func problems(_ yaml: String, csv: String? = nil) throws -> [String] {
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        if let csv { try csv.write(toFile: root + "/data/d.csv", atomically: false, encoding: .utf8) }
        var context = ValidationContext()
        context.repositoryRoot = root
        context.checksData = true
        let loaded = ScheduleLoader.decode(bytes: Array(yaml.utf8), path: "s.yaml", id: "s", context: context)
        return loaded.diagnostics.map { "\($0.position.line):\($0.position.column): \($0.message)" }
    }

    @Test func aGoodFilePasses() throws {
        let yaml = "model: attrition\nstart: 2026-12-01\ndata: data/d.csv\ntarget: left\nfeatures: [age, dept]\n"
        #expect(try problems(yaml, csv: "age,dept,left\n30,a,yes\n40,b,no\n") == [])
    }

    @Test func aMissingFileIsAtData() throws {
        let yaml = "model: attrition\nstart: 2026-12-01\ndata: data/none.csv\ntarget: left\n"
        #expect(
            try problems(yaml)
                == [
                    "3:7: the data file 'data/none.csv' does not exist (a relative path is read from the repository root); check the path, or add the file"
                ])
    }

    @Test func aMissingTargetOrFeatureIsAtItsNameWithASuggestion() throws {
        let yaml = "model: attrition\nstart: 2026-12-01\ndata: data/d.csv\ntarget: leftt\nfeatures: [age, departement]\n"
        let found = try problems(yaml, csv: "age,department,left\n30,a,yes\n40,b,no\n")
        #expect(
            found == [
                "4:9: the target 'leftt' is not a column of data/d.csv (did you mean 'left'?); its columns are age, department, left",
                "5:17: the feature 'departement' is not a column of data/d.csv (did you mean 'department'?); its columns are age, department, left",
            ])
    }

    @Test func aClassifierNeedsItsClassesAndARegressionNumbers() throws {
        let risk = "model: risk\nstart: 2026-12-01\ndata: data/d.csv\ntarget: level\n"
        #expect(
            try problems(risk, csv: "x,level\n1,low\n2,high\n")
                == ["4:9: the target 'level' has 2 classes in data/d.csv (high, low); the risk model needs 3 (low, medium and high)"])
        let binary = "model: attrition\nstart: 2026-12-01\ndata: data/d.csv\ntarget: left\n"
        #expect(
            try problems(binary, csv: "x,left\n1,yes\n2,yes\n") == [
                "4:9: the target 'left' has 1 class in data/d.csv (yes); the attrition model needs 2"
            ])
        let regression = "model: duration\nstart: 2026-12-01\ndata: data/d.csv\ntarget: hours\n"
        let found = try problems(regression, csv: "x,hours\n1,3.5\n2,many\n")
        #expect(found.count == 1 && found[0].hasPrefix("4:9: data/d.csv:3: ") && found[0].contains("many"), "\(found)")
    }
}
