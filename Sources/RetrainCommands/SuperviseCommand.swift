import ArgumentParser
import RetrainCore
#if canImport(Glibc)
import Glibc
#endif

/// `retrain __supervise ATTEMPT_FOLDER`: the detached process of one local run, started by a
/// reconcile pass or `retrain run`. Not for people; hidden from help.
struct SuperviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__supervise",
        abstract: "Supervise one run attempt (started by reconcile; not for direct use).",
        shouldDisplay: false
    )

    @Argument(help: "The attempt folder, holding request.json.")
    var folder: String

    @Option(help: "The descriptor holding the attempt's lock, inherited from the reconciler.")
    var lockFD: Int32?

    @OptionGroup var clock: ClockOptions

    func run() async throws {
        // The lock stays with this process alone: the trainer must not keep it after this exits.
        if let lockFD { _ = fcntl(lockFD, F_SETFD, FD_CLOEXEC) }
        let code = await Supervisor.run(folder: folder, clock: try clock.running(), program: Workspace.executablePath())
        if code != 0 { throw ExitCode(code) }
    }
}
