import Glibc

/// This machine's name.
public enum Host {
    /// `gethostname`, or `unknown`.
    public static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(cString: buffer)
    }
}
