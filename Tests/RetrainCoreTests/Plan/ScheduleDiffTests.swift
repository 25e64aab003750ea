import RetrainTestSupport
import Testing

@testable import RetrainCore

/// A revision reader with fixed files, for diff tests without git.
struct FakeRevision: RevisionReader {
    let files: [String: String]
    func scheduleFiles(at revision: String, folder: String) async throws -> [(name: String, bytes: [UInt8])] {
        files.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value.utf8)) }
    }
}

@Suite struct ScheduleDiffTests {
    let base =
        "model: risk\ndata: r.csv\ntarget: y\nstart: 2026-12-01 02:00\ntimezone: Europe/Madrid\nrepeat: daily\nparams: {learning_rate: 0.001}\n"

    @Test func fieldLevelChangesNewAndDeletedSchedules() async throws {
        let reader = FakeRevision(files: ["a.yaml": base, "gone.yaml": base, "broken.yaml": "model: [\n"])
        let current = [
            spec("a", "start: 2026-12-01 02:00\ntimezone: Europe/Madrid\nrepeat: weekly\nparams: {learning_rate: 0.0005}\n"),
            spec("new", "start: 2026-12-01\nrepeat: daily\n"),
        ]
        let diff = try await ScheduleDiff.against(
            revision: "main", reader: reader, folder: "schedules", context: ValidationContext(),
            current: current, now: Instant.parse("2026-11-25T12:00:00Z")!)
        #expect(diff.added.map(\.spec.id) == ["new"])
        #expect(diff.added.first?.next.map(\.description) == ["2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z"])
        #expect(diff.removed == ["gone"])
        #expect(diff.invalidAtBase == ["broken"])
        let change = try #require(diff.changed.first)
        #expect(
            change.fields == [
                .init(field: "params.learning_rate", before: "0.001", after: "0.0005"),
                .init(field: "repeat", before: "\"daily\"", after: "\"weekly\""),
            ])
        #expect(change.timingChanged)
        #expect(change.nextBefore.map(\.description) == ["2026-12-01T01:00:00Z", "2026-12-02T01:00:00Z", "2026-12-03T01:00:00Z"])
        #expect(change.nextAfter.map(\.description) == ["2026-12-01T01:00:00Z", "2026-12-08T01:00:00Z", "2026-12-15T01:00:00Z"])
    }

    @Test func theSameSchedulesWrittenDifferentlyAreNoChange() async throws {
        let reader = FakeRevision(files: ["a.yaml": base])
        let current = [spec("a", "# reformatted\nrepeat: daily\ntimezone: Europe/Madrid\nstart: 2026-12-01 02:00\nparams:\n  learning_rate: 0.001\n")]
        let diff = try await ScheduleDiff.against(
            revision: "main", reader: reader, folder: "schedules", context: ValidationContext(),
            current: current, now: Instant.parse("2026-11-25T12:00:00Z")!)
        #expect(diff.isEmpty)
        #expect(DiffRenderer.markdown(diff) == "### retrain plan against `main`\n\nThis change adds, changes and deletes no schedules.\n")
    }
}
