import ArgumentParser
import RetrainCore

/// The schedules (validated, problems on stderr) and the state, as `list`, `show` and `history` read them.
struct RepositorySnapshot {
    let report: ValidationReport
    let state: StateFile

    /// Reads both, or stops with the state file's error.
    static func load(_ repository: RepositoryOptions) throws -> RepositorySnapshot {
        let (config, configDiagnostics) = repository.loadConfig()
        let settings = config ?? RepositoryConfig()
        let report = Validator.validate(paths: [repository.schedules ?? settings.schedules], context: settings.validationContext, extra: configDiagnostics)
        let renderer = DiagnosticRenderer(colour: Output.colour(forStderr: true))
        Output.stderr(report.diagnostics.map(renderer.render).joined())
        do {
            return RepositorySnapshot(report: report, state: try repository.stateStore(settings).load())
        } catch {
            Output.stderr("\(error)\n")
            throw ExitCode.failure
        }
    }

    func overviews(now: Instant) -> [ScheduleOverview] {
        ScheduleOverview.all(schedules: report.schedules, invalid: report.invalidIDs, state: state, now: now)
    }
}
