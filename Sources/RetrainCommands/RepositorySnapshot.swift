import ArgumentParser
import RetrainCore

/// The schedules (validated, problems on stderr) and the state, as `list`, `show` and `history` read them.
struct RepositorySnapshot {
    let report: ValidationReport
    let state: StateFile
    /// Where the state, the ledgers and the outbox are.
    let store: StateStore

    /// Reads both, or stops with the state file's error.
    static func load(_ repository: RepositoryOptions) throws -> RepositorySnapshot {
        let workspace = repository.workspace(readingState: true)
        let state = try CommandError.from { try workspace.state() }
        return RepositorySnapshot(report: workspace.report, state: state, store: workspace.store)
    }

    func overviews(now: Instant) -> [ScheduleOverview] {
        ScheduleOverview.all(schedules: report.schedules, invalid: report.invalidIDs, state: state, now: now)
    }
}
