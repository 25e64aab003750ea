import RetrainCore

/// Instants written as text in tests: `"2026-12-01T01:00:00Z"`. Only tests get this (a literal that
/// does not parse stops the test at once); the product parses text and says what is wrong.
extension Instant: ExpressibleByStringLiteral, ExpressibleByUnicodeScalarLiteral,
    ExpressibleByExtendedGraphemeClusterLiteral
{
    public init(stringLiteral text: String) {
        guard let instant = Instant.parse(text) else { preconditionFailure("'\(text)' is not an ISO 8601 instant") }
        self = instant
    }
}
