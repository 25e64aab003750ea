import Foundation
import Testing

@testable import RetrainML

@Suite struct PreprocessingTests {
    @Test func learnsFromTheTrainingRowsOnly() throws {
        let path = try csvFile("n,t\n1,b\n,b\n3,a\n100,zebra\n")
        let table = try CSVReader.read(path)
        let p = Preprocessing.fit(table, features: ["n", "t"], rows: [0, 1, 2])  // row 3 is held out
        #expect(p.numeric == [.init(name: "n", median: 2, mean: 2, scale: (2.0 / 3).squareRoot())])
        #expect(p.text == [.init(name: "t", fill: "b", categories: ["a", "b"])])
        var out = [Float](repeating: -1, count: 4 * p.width)
        out.withUnsafeMutableBufferPointer { p.encode(table, rows: [0, 1, 2, 3], into: $0.baseAddress!) }
        let s = Float((2.0 / 3).squareRoot())
        #expect(abs(out[0] + 1 / s) < 1e-6)  // (1 - 2) / sd
        #expect(out[3] == 0)  // the missing cell took the median, 2, which is the mean
        #expect(Array(out[1...2]) == [0, 1] && Array(out[4...5]) == [0, 1] && Array(out[7...8]) == [1, 0])
        #expect(Array(out[10...11]) == [0, 0])  // 'zebra' was never seen in training: all zeros
    }

    @Test func aConstantColumnKeepsScaleOne() throws {
        let table = try CSVReader.read(try csvFile("c\n5\n5\n"))
        #expect(Preprocessing.fit(table, features: ["c"], rows: [0, 1]).numeric[0].scale == 1)
    }

    @Test func theMostFrequentFillBreaksTiesByOrder() throws {
        let table = try CSVReader.read(try csvFile("t\nz\na\nz\na\n\n"))
        #expect(Preprocessing.fit(table, features: ["t"], rows: [0, 1, 2, 3]).text[0].fill == "a")
    }
}
