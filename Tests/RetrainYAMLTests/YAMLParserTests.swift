import Testing

@testable import RetrainYAML

@Suite struct YAMLParserTests {
    @Test func marksAreOneBasedForKeysAndValues() throws {
        let doc = YAMLParser.parse("a: 1\nlist:\n  - x\n  - {k: v}\n")
        #expect(doc.issues.isEmpty)
        let pairs = try #require(doc.root?.mapping)
        #expect(pairs[0].key.mark == Mark(line: 1, column: 1))
        #expect(pairs[0].value.mark == Mark(line: 1, column: 4))
        let items = try #require(pairs[1].value.sequence)
        #expect(items[0].mark == Mark(line: 3, column: 5))
        #expect(items[1].isFlow)
        #expect(items[1].mapping?[0].value.mark == Mark(line: 4, column: 9))
    }

    @Test(arguments: [
        ("null", ScalarValue.null), ("~", .null), ("", .null), ("true", .bool(true)), ("FALSE", .bool(false)),
        ("42", .int(42)), ("-7", .int(-7)), ("0x1F", .int(31)), ("0o17", .int(15)), ("1e-3", .float(0.001)),
        ("0.5", .float(0.5)), (".5", .float(0.5)), ("3.", .float(3)), ("yes", .string("yes")), ("on", .string("on")),
        ("010", .int(10)), ("1:30", .string("1:30")), ("2026-12-01", .string("2026-12-01")), ("1e", .string("1e")),
        ("99999999999999999999", .float(1e20)),
    ])
    func plainScalarsFollowTheYAML12CoreSchema(text: String, expected: ScalarValue) {
        #expect(ScalarValue(text, style: .plain) == expected)
    }

    @Test func quotedScalarsAreAlwaysText() {
        #expect(ScalarValue("42", style: .doubleQuoted) == .string("42"))
        #expect(ScalarValue("true", style: .singleQuoted) == .string("true"))
    }

    @Test func yaml11BooleanWordsAreRecognised() {
        for word in ["yes", "No", "ON", "off", "y", "N"] { #expect(ScalarValue.isYAML11Boolean(word)) }
        for word in ["true", "yess", "onn", ""] { #expect(!ScalarValue.isYAML11Boolean(word)) }
    }

    @Test func anchorsAndAliasesAreReportedAndNeverExpanded() {
        let doc = YAMLParser.parse("a: &x [1, 2]\nb: [*x, *x]\n")
        #expect(doc.issues.map(\.kind) == [.anchor("x"), .alias("x"), .alias("x")])
        #expect(doc.issues.map(\.mark) == [Mark(line: 1, column: 4), Mark(line: 2, column: 5), Mark(line: 2, column: 9)])
    }

    @Test func tagsAreReported() {
        let doc = YAMLParser.parse("a: !!str 1\n")
        #expect(doc.issues.map(\.kind) == [.tag("tag:yaml.org,2002:str")])
    }

    @Test func deepNestingStopsAtTheLimit() {
        let doc = YAMLParser.parse(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
        #expect(doc.issues.map(\.kind) == [.tooDeep(limit: 32)])
        #expect(doc.issues.first?.mark == Mark(line: 1, column: 33))
    }

    @Test func tooManyNodesStops() {
        let source = (0..<30_000).map { "k\($0): 1" }.joined(separator: "\n")
        let doc = YAMLParser.parse(source)
        #expect(doc.issues.map(\.kind) == [.tooManyNodes(limit: 20_000)])
    }

    @Test func oversizedInputIsRefusedBeforeParsing() {
        let doc = YAMLParser.parse([UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20))
        #expect(doc.issues.map(\.kind) == [.tooLarge(bytes: 2 << 20, limit: 1 << 20)])
    }

    @Test func binaryIsRefused() {
        let doc = YAMLParser.parse([0x61, 0x3A, 0x00, 0x01])
        #expect(doc.issues.map(\.kind) == [.binary])
        #expect(doc.issues.first?.mark == Mark(line: 1, column: 3))
    }

    @Test func invalidUTF8IsLocated() {
        let doc = YAMLParser.parse(Array("a: 1\nb: caf".utf8) + [0xFF] + Array("\n".utf8))
        guard case .invalidEncoding? = doc.issues.first?.kind else {
            Issue.record("expected an encoding issue, got \(doc.issues)")
            return
        }
        #expect(doc.issues.first?.mark == Mark(line: 2, column: 7))
    }

    @Test func secondDocumentStops() {
        let doc = YAMLParser.parse("a: 1\n---\nb: 2\n")
        #expect(doc.issues.map(\.kind) == [.multipleDocuments])
        #expect(doc.issues.first?.mark == Mark(line: 2, column: 1))
    }

    @Test func tabsInIndentationAreReportedOncePerLine() {
        let doc = YAMLParser.parse("a:\n\tb: 1\nc: \"x\ty\"\n# \tcomment\n")
        #expect(doc.issues.filter { $0.kind == .tabIndentation }.map(\.mark) == [Mark(line: 2, column: 1)])
        #expect(!doc.issues.contains { if case .syntax = $0.kind { true } else { false } })
    }

    @Test func syntaxErrorsCarryLibyamlsProblemAndContext() {
        let doc = YAMLParser.parse("a: [1, 2\nb: 3\n")
        guard case .syntax(let problem, let context)? = doc.issues.first?.kind else {
            Issue.record("expected a syntax issue, got \(doc.issues)")
            return
        }
        #expect(problem == "did not find expected ',' or ']'")
        #expect(context == "while parsing a flow sequence")
        #expect(doc.issues.first?.contextMark == Mark(line: 1, column: 4))
    }

    @Test func emptyInputHasNoRootAndNoIssues() {
        let doc = YAMLParser.parse("# only a comment\n")
        #expect(doc.root == nil)
        #expect(doc.issues.isEmpty)
    }
}
