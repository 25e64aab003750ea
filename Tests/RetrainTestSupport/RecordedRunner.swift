import RetrainCore
import Synchronization

/// A `CommandRunner` that runs nothing: each command (by program name) gets the answer the test
/// gave it, as the real Slurm printed it, and every call is recorded.
public final class RecordedRunner: CommandRunner, Sendable {
    private struct Book {
        var answers: [String: @Sendable ([String]) -> CommandOutput] = [:]
        var calls: [[String]] = []
        var environments: [[String]?] = []
    }
    private let book = Mutex(Book())

    public init() {}

    /// From now on `program` answers `answer(argv)`.
    public func answer(_ program: String, _ answer: @escaping @Sendable ([String]) -> CommandOutput) {
        book.withLock { $0.answers[program] = answer }
    }

    /// From now on `program` prints `stdout` and exits `status` (printing `stderr`).
    public func answer(_ program: String, stdout: String = "", stderr: String = "", status: Int32 = 0) {
        answer(program) { _ in CommandOutput(status: status, stdout: stdout, stderr: stderr) }
    }

    /// Every command run, in order.
    public var calls: [[String]] { book.withLock { $0.calls } }
    /// The environment each was given (nil: the caller's own).
    public var environments: [[String]?] { book.withLock { $0.environments } }
    /// The calls of `program`.
    public func calls(of program: String) -> [[String]] { calls.filter { $0.first == program } }

    public func run(_ argv: [String], environment: [String]?, timeout: Double) -> CommandOutput {
        let answer = book.withLock {
            $0.calls.append(argv)
            $0.environments.append(environment)
            return $0.answers[argv[0]]
        }
        return answer?(argv) ?? CommandOutput(status: nil, stdout: "", stderr: "", problem: "\(argv[0]) not found on PATH")
    }
}
