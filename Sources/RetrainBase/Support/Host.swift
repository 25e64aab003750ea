import Glibc

/// This machine's name.
public enum Host {
    /// `gethostname`, or `unknown`.
    public static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(cString: buffer)
    }

    /// Who is at the keyboard, for the record of an operator's action: `user@host`. The user who
    /// ran sudo when there is one, else the effective user's name, else its uid.
    public static var operatorName: String {
        if let sudo = getenv("SUDO_USER").map({ String(cString: $0) }), !sudo.isEmpty { return "\(sudo)@\(name)" }
        if let entry = getpwuid(geteuid()), let user = entry.pointee.pw_name { return "\(String(cString: user))@\(name)" }
        return "uid \(geteuid())@\(name)"
    }

    /// Why processes this one leaves running would die when it exits, or nil. So it is when it is PID 1
    /// (a container's main process: when it exits, the kernel kills everything in its PID
    /// namespace), and when its parent is PID 1 and a container's init (tini, dumb-init,
    /// docker-init, catatonit), which ends the container when its one child exits.
    public static var childrenDieWithThisProcess: String? {
        if getpid() == 1 { return "retrain is PID 1 (a container's main process)" }
        guard getppid() == 1, case .success(let bytes) = SourceFile.read("/proc/1/comm", limit: 256) else { return nil }
        let name = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard ["tini", "dumb-init", "docker-init", "catatonit"].contains(name) else { return nil }
        return "retrain is the one child of \(name), a container's init"
    }
}
