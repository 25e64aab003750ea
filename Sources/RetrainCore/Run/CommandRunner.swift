import Glibc

/// What a short command said.
public struct CommandOutput: Sendable, Equatable {
    /// Its exit code; nil when it did not exit on its own (killed by a signal, or stopped at the time limit).
    public var status: Int32?
    public var stdout: String
    public var stderr: String
    /// Why it could not be run or did not end (nil when it ran to an exit).
    public var problem: String?

    public init(status: Int32?, stdout: String, stderr: String, problem: String? = nil) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.problem = problem
    }

    /// Exited 0.
    public var succeeded: Bool { status == 0 }

    /// What it said went wrong, in one line: its first line on stderr, else the problem, else the exit code.
    public var complaint: String {
        if let line = stderr.split(separator: "\n").first(where: { !$0.allSatisfy(\.isWhitespace) }) { return String(line) }
        if let problem { return problem }
        return status.map { "exit \($0)" } ?? "no exit status"
    }
}

/// Runs the batch system's short commands (`sbatch`, `squeue`, `scontrol`, `scancel`). A protocol
/// so that the Slurm executor is tested with recorded outputs; `ProcessRunner` is the real one.
public protocol CommandRunner: Sendable {
    /// Runs `argv` (the program looked up on PATH) with `environment` (nil: this process's) and
    /// waits for it, at most `timeout` seconds.
    func run(_ argv: [String], environment: [String]?, timeout: Double) -> CommandOutput
}

/// Runs commands with posix_spawn, synchronously: the reconciler asks the batch system inside its
/// state update, which is not async. Output is read as it comes (no pipe fills up and stalls the
/// child), up to 16 MiB each; at the time limit the child's process group is killed.
public struct ProcessRunner: CommandRunner {
    public init() {}

    public func run(_ argv: [String], environment: [String]?, timeout: Double) -> CommandOutput {
        guard let program = argv.first, let path = Self.lookUp(program) else {
            return CommandOutput(status: nil, stdout: "", stderr: "", problem: "\(argv.first ?? "") not found on PATH")
        }
        var out: [Int32] = [0, 0]
        var err: [Int32] = [0, 0]
        guard Self.pipeCloseOnExec(&out) else { return Self.failure("pipe") }
        guard Self.pipeCloseOnExec(&err) else {
            close(out[0])
            close(out[1])
            return Self.failure("pipe")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        var args: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        args.append(nil)
        defer { for pointer in args { free(pointer) } }
        var pid: pid_t = 0
        let spawned: Int32
        if let environment {
            var env: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) }
            env.append(nil)
            defer { for pointer in env { free(pointer) } }
            spawned = posix_spawn(&pid, path, &actions, &attributes, args, env)
        } else {
            spawned = posix_spawn(&pid, path, &actions, &attributes, args, environ)
        }
        close(out[1])
        close(err[1])
        guard spawned == 0 else {
            close(out[0])
            close(err[0])
            return CommandOutput(status: nil, stdout: "", stderr: "", problem: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        var collected: [[UInt8]] = [[], []]
        let timedOut = Self.drain([out[0], err[0]], into: &collected, seconds: timeout)
        close(out[0])
        close(err[0])
        if timedOut { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let problem = timedOut ? "no answer within \(Int(timeout)) s" : exited ? nil : "killed by signal \(status & 0x7f)"
        return CommandOutput(
            status: exited && !timedOut ? (status >> 8) & 0xff : nil, stdout: String(decoding: collected[0], as: UTF8.self),
            stderr: String(decoding: collected[1], as: UTF8.self), problem: problem)
    }

    /// Reads `fds` until both reach end of file or `seconds` pass; true when time ran out.
    static func drain(_ fds: [Int32], into collected: inout [[UInt8]], seconds: Double) -> Bool {
        var open = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let deadline = Self.monotonic() + seconds
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.contains(where: { $0.fd >= 0 }) {
            let left = deadline - Self.monotonic()
            if left <= 0 { return true }
            let ready = poll(&open, nfds_t(open.count), Int32(min(left * 1000, 1000)))
            if ready < 0 && errno != EINTR { return false }
            for index in open.indices where open[index].fd >= 0 && open[index].revents != 0 {
                let n = read(open[index].fd, &buffer, buffer.count)
                if n > 0 {
                    if collected[index].count < 16 << 20 { collected[index] += buffer[0..<n] }
                } else if n == 0 || errno != EINTR {
                    open[index].fd = -1
                }
            }
        }
        return false
    }

    /// A pipe whose ends no other spawned process inherits (pipe2 with O_CLOEXEC is a GNU
    /// extension the Glibc module leaves out).
    static func pipeCloseOnExec(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return true
    }

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func failure(_ what: String) -> CommandOutput {
        CommandOutput(status: nil, stdout: "", stderr: "", problem: "\(what): \(String(cString: strerror(errno)))")
    }

    /// `program`'s path: itself when it holds a slash, else the first executable of that name on PATH.
    static func lookUp(_ program: String) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }
}
