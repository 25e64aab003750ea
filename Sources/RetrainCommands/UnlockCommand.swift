import ArgumentParser
import RetrainCore

/// `retrain unlock`: removes the state lock by hand.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove the state file's lock by hand, when the process that held it is gone.",
        discussion: """
            A lock left by a process that died on this machine is taken over by the next command, with a warning; this is for the rest (a hung process, a lock from another machine on shared storage). It refuses while a process on this machine still holds the lock, unless --force.

            Examples:
              retrain unlock
              retrain unlock --force
            """
    )

    @Flag(help: "Remove the lock even though a running process holds it.")
    var force = false

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        let (config, _) = repository.loadConfig()
        let store = repository.stateStore(config ?? RepositoryConfig())
        if let holder = store.currentHolder(), !force {
            throw CommandError(
                "pid \(holder.pid) on \(holder.host) holds the lock (\(holder.operation) since \(holder.acquiredAt)) and is still running; wait for it, or stop it, or use --force"
            )
        }
        if let holder = try CommandError.from({ try store.unlock() }) {
            Output.stdout("removed the lock held by pid \(holder.pid) on \(holder.host) (\(holder.operation) since \(holder.acquiredAt))\n")
        } else {
            Output.stdout("no lock to remove at \(store.lockPath)\n")
        }
    }
}
