import ArgumentParser
import Glibc
import RetrainCore

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
        let code = await Self.supervise(folder: folder, lockFD: lockFD, clock: try clock.running())
        if code != 0 { throw ExitCode(code) }
    }

    static func supervise(folder: String, lockFD: Int32?, clock: RunningClock) async -> Int32 {
        // The lock stays with this process alone: the trainer must not keep it after this exits.
        if let lockFD { _ = fcntl(lockFD, F_SETFD, FD_CLOEXEC) }
        return await Supervisor.run(folder: folder, clock: clock, program: Workspace.executablePath())
    }

    /// The exit code of `arguments` run as the exact command line a reconciler spawns
    /// (`__supervise FOLDER --lock-fd N [--now T]`), without the argument parser: a pass that starts
    /// 1,000 runs starts 1,000 supervisors, and the parser's type lookups were a fifth of each one's
    /// start. Nil for any other command line, which the parser then handles (and explains).
    static func direct(_ arguments: [String]) async -> Int32? {
        guard arguments.count == 4 || arguments.count == 6, arguments[0] == configuration.commandName, arguments[2] == "--lock-fd",
            !arguments[1].hasPrefix("-"), let lockFD = Int32(arguments[3])
        else { return nil }
        var given: String?
        if arguments.count == 6 {
            guard arguments[4] == "--now" else { return nil }
            given = arguments[5]
        }
        guard let base = try? ClockOptions.instant(given: given) else { return nil }
        return await supervise(folder: arguments[1], lockFD: lockFD, clock: RunningClock(base: base))
    }
}
