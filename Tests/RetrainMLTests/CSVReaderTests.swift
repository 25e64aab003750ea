import Foundation
import Testing

@testable import RetrainML

/// Writes `text` to a fresh file and returns its path.
func csvFile(_ text: String, name: String = "data.csv") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-ml-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

func numbers(_ table: CSVTable, _ name: String) -> [Double]? {
    if case .numeric(let v)? = table.column(name)?.values { return v }
    return nil
}

func texts(_ table: CSVTable, _ name: String) -> [String?]? {
    if case .text(let codes, let levels)? = table.column(name)?.values { return codes.map { $0 < 0 ? nil : levels[Int($0)] } }
    return nil
}

/// The message of the error `body` throws, or nil when it throws none.
func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite struct CSVReaderTests {
    @Test func quotedFieldsWithCommasNewlinesAndQuotes() throws {
        let path = try csvFile("id,note,score\r\n1,\"a, b\",2.5\r\n2,\"two\nlines\",\r\n3,\"say \"\"hi\"\"\",-1e2\r\n")
        let table = try CSVReader.read(path)
        #expect(table.header == ["id", "note", "score"])
        #expect(table.rowCount == 3)
        #expect(numbers(table, "id") == [1, 2, 3])
        #expect(texts(table, "note") == ["a, b", "two\nlines", "say \"hi\""])
        let score = try #require(numbers(table, "score"))
        #expect(score[0] == 2.5 && score[1].isNaN && score[2] == -100)
        #expect(table.lines == [2, 3, 5])  // the quoted newline moves the third row to line 5
    }

    @Test func everyBlockSizeReadsTheSameTable() throws {
        var text = "a,b,c\n"
        for i in 0..<300 { text += "\(i),\"x\(i % 7), \"\"q\"\"\",\(Double(i) / 8)\n" }
        let path = try csvFile(text + "300,last,1")  // no newline at the end
        let whole = try CSVReader.read(path)
        for block in [16, 17, 64, 1000] {
            let table = try CSVReader.read(path, blockSize: block)
            #expect(table.rowCount == 301)
            #expect(numbers(table, "a") == numbers(whole, "a"))
            #expect(texts(table, "b") == texts(whole, "b"))
            #expect(numbers(table, "c") == numbers(whole, "c"))
        }
        #expect(texts(whole, "b")?.last == "last")
    }

    @Test func typesArePerColumnAndEmptyCellsAreMissing() throws {
        let path = try csvFile("n,t,mixed,empty\n1,a,1,\n,b,x,\n3,,2,\n")
        let table = try CSVReader.read(path)
        let n = try #require(numbers(table, "n"))
        #expect(n[0] == 1 && n[1].isNaN && n[2] == 3)
        #expect(texts(table, "t") == ["a", "b", nil])
        #expect(texts(table, "mixed") == ["1", "x", "2"])  // one text cell makes the column text
        #expect(numbers(table, "empty")?.allSatisfy(\.isNaN) == true)
    }

    @Test func onlyTheAskedColumnsAreKept() throws {
        let path = try csvFile("a,b,c\n1,x,2\n")
        let table = try CSVReader.read(path, keep: ["c", "a"])
        #expect(table.columns.map(\.name) == ["a", "c"])
        #expect(table.header == ["a", "b", "c"])
    }

    @Test func numbersParseExactly() {
        for text in ["0", "-0.5", "12.8", "74000", "1e-3", "6.02214076e23", ".5", "+7", "0.1", "123456789012345678901", "3.4028235e38", "4.9e-324"] {
            let bytes = Array(text.utf8)
            let parsed = bytes.withUnsafeBufferPointer { NumberParser.parse($0) }
            #expect(parsed == strtod(text, nil), "\(text)")
        }
        for text in ["", "-", "1.2.3", "abc", "1e", "nan", "inf", "0x10", "1,5"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { NumberParser.parse($0) } == nil, "\(text)")
        }
    }

    // Each bad file: a clear message naming the file and, where there is one, the line.

    @Test func textInANumericColumnAfterTheFirstRowsNamesTheLineAndColumn() throws {
        var text = "age,city\n"
        for i in 0..<1005 { text += "\(20 + i % 40),madrid\n" }
        text += "unknown,lyon\n"
        let path = try csvFile(text)
        let message = try #require(errorMessage { _ = try CSVReader.read(path) })
        #expect(
            message
                == "\(path):1007: column 'age': 'unknown' is not a number, but every non-empty cell of its first 1000 rows is a number; fix the cell, or leave it empty for a missing value"
        )
    }

    @Test func aFileWithNoRowsOrNoHeader() throws {
        let headerOnly = try csvFile("a,b\n")
        #expect(errorMessage { _ = try CSVReader.read(headerOnly) } == "\(headerOnly): the file has a header but no data rows")
        let empty = try csvFile("")
        #expect(errorMessage { _ = try CSVReader.read(empty) } == "\(empty): the file is empty; it needs a header row and at least one data row")
        #expect(errorMessage { _ = try CSVReader.read("/nonexistent/x.csv") }?.hasPrefix("/nonexistent/x.csv: cannot open it:") == true)
    }

    @Test func aRowWithTheWrongNumberOfFields() throws {
        let path = try csvFile("a,b,c\n1,2,3\n4,5\n")
        #expect(
            errorMessage { _ = try CSVReader.read(path) }
                == "\(path):3: this row has 2 fields but the header has 3; every row needs one value per column (an empty one for a missing value)")
    }

    @Test func anUnclosedQuote() throws {
        let path = try csvFile("a,b\n1,\"open\n2,3\n")
        #expect(errorMessage { _ = try CSVReader.read(path) } == "\(path):2: a quoted field starts here and is never closed; add the closing '\"'")
    }

    @Test func textAfterAClosingQuote() throws {
        let path = try csvFile("a,b\n1,\"x\"y\n")
        #expect(errorMessage { _ = try CSVReader.read(path) }?.hasPrefix("\(path):2: text follows a closing quote in field 2") == true)
    }

    @Test func aDuplicateOrEmptyHeaderName() throws {
        let twice = try csvFile("a,b,a\n1,2,3\n")
        #expect(errorMessage { _ = try CSVReader.read(twice) } == "\(twice):1: the header names 'a' twice; column names must be unique")
        let unnamed = try csvFile("a,,c\n1,2,3\n")
        #expect(errorMessage { _ = try CSVReader.read(unnamed) } == "\(unnamed):1: column 2 of the header has no name; name every column")
    }

    @Test func aModelsNumericColumnRejectsText() throws {
        let path = try csvFile("x\n1\nseven\n")
        #expect(
            errorMessage { _ = try CSVReader.read(path, types: ["x": .numeric]) }
                == "\(path):3: column 'x': 'seven' is not a number, but the model reads it as numbers; fix the cell, or leave it empty for a missing value"
        )
    }
}
