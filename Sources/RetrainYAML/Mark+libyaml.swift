extension Mark {
    /// Converts libyaml's 0-based mark; the only place in the project that does.
    init(libyamlLine line: Int, column: Int) {
        self.init(line: line + 1, column: column + 1)
    }
}
