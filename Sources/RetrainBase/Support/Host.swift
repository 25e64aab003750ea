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
}
