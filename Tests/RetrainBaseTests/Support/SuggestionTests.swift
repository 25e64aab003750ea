import Testing

@testable import RetrainBase

@Suite struct SuggestionTests {
    /// A schedule file's keys (`ScheduleDecoder.keys`, a layer above).
    static let keys = [
        "version", "model", "description", "enabled", "start", "timezone", "repeat", "end", "catchup", "deadline",
        "data", "target", "features", "params", "command", "timeout", "retries", "retry_delay", "executor", "slurm",
        "gates", "notify", "labels", "trigger",
    ]

    @Test(arguments: [("modle", "model"), ("lerning_rate", "learning_rate"), ("timezon", "timezone"), ("xyz", nil), ("retries", "retries")])
    func closest(word: String, expected: String?) {
        #expect(Suggestion.closest(to: word, in: Self.keys + ["learning_rate"]) == expected)
    }
}
