import RetrainTestSupport
import Testing

/// The golden files' diff: what changed, not every line after it.
@Suite struct LineDiffTests {
    @Test func oneInsertedLineIsOneLine() {
        #expect(lineDiff("a\nb\nc\nd\n", "a\nb\nnew\nc\nd\n") == "+3: new")
    }

    @Test func aChangedLineIsItsOldAndItsNewLine() {
        #expect(lineDiff("a\nb\nc\n", "a\nB\nc\n") == "-2: b\n+2: B")
    }

    @Test func removedAndAddedLinesAreNumberedInTheirOwnFiles() {
        #expect(lineDiff("x\na\nb\n", "a\nb\ny\n") == "-1: x\n+3: y")
    }
}
