import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// Decodes an inline schedule and renders its diagnostics as the user sees them.
func rendered(_ source: String, id: String = "s", context: ValidationContext = ValidationContext()) -> (ScheduleSpec?, String) {
    let loaded = ScheduleLoader.decode(bytes: Array(source.utf8), path: "s.yaml", id: id, context: context)
    return (loaded.spec, loaded.diagnostics.map { DiagnosticRenderer().render($0) }.joined())
}

let base = "model: attrition\nstart: 2026-12-01 02:00\ndata: examples/data/attrition.csv\ntarget: left_company\n"
