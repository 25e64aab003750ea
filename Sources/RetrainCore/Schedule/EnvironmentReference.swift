/// `${NAME}` references to environment variables in settings (`email.from`, `sendmail`, webhook
/// URLs): kept as written in files and the state, expanded only when sending.
public enum EnvironmentReference {
    /// The names `text` refers to as `${NAME}`, as `Notifier.expand` reads them.
    public static func names(in text: String) -> [String] {
        guard text.contains("${") else { return [] }
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            names.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
