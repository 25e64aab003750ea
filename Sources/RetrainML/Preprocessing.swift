import RetrainBase

/// The learned input transform, as scikit-learn's ColumnTransformer does it: numeric columns
/// get their training median for a missing value, then are standardised with the training mean
/// and (population) standard deviation; text columns get their most frequent training value for
/// a missing value, then are one-hot encoded over the sorted training values (an unseen value
/// encodes as all zeros). Encoded columns: the numeric ones in feature order, then each text
/// column's block. Learned from the training rows only and kept in the artifact.
public struct Preprocessing: Codable, Sendable, Equatable {
    /// A numeric input column.
    public struct Numeric: Codable, Sendable, Equatable {
        /// The CSV column.
        public var name: String
        /// Stands in for a missing value.
        public var median: Double
        /// Subtracted…
        public var mean: Double
        /// …then divided by (1 for a constant column).
        public var scale: Double
    }

    /// A text input column.
    public struct Text: Codable, Sendable, Equatable {
        /// The CSV column.
        public var name: String
        /// Stands in for a missing value: the most frequent training value (ties: the first in order).
        public var fill: String
        /// The training values in code-point order; one encoded column each.
        public var categories: [String]
    }

    /// The numeric columns.
    public var numeric: [Numeric]
    /// The text columns.
    public var text: [Text]

    /// How many encoded columns.
    public var width: Int { numeric.count + text.reduce(0) { $0 + $1.categories.count } }

    /// The input column names, numeric ones first (the encoded order).
    public var columnNames: [String] { numeric.map(\.name) + text.map(\.name) }

    /// Learns the transform of `features` from the rows `rows` of `table`.
    public static func fit(_ table: CSVTable, features: [String], rows: [Int]) -> Preprocessing {
        var numeric: [Numeric] = []
        var text: [Text] = []
        for name in features {
            guard let column = table.column(name) else { continue }
            switch column.values {
            case .numeric(let values):
                var present: [Double] = []
                present.reserveCapacity(rows.count)
                for r in rows where !values[r].isNaN { present.append(values[r]) }
                let median = Statistics.median(&present)
                var sum = 0.0
                for r in rows { sum += values[r].isNaN ? median : values[r] }
                let mean = rows.isEmpty ? 0 : sum / Double(rows.count)
                var squares = 0.0
                for r in rows {
                    let d = (values[r].isNaN ? median : values[r]) - mean
                    squares += d * d
                }
                let sd = rows.isEmpty ? 0 : (squares / Double(rows.count)).squareRoot()
                numeric.append(Numeric(name: name, median: median, mean: mean, scale: sd < 10 * Double.ulpOfOne ? 1 : sd))
            case .text(let codes, let levels):
                var counts = [Int](repeating: 0, count: levels.count)
                for r in rows where codes[r] >= 0 { counts[Int(codes[r])] += 1 }
                let seen = levels.indices.filter { counts[$0] > 0 }.sorted { codePointLess(levels[$0], levels[$1]) }
                // Most frequent; among equals the first in order (SimpleImputer's rule).
                var fill = seen.first
                for level in seen where counts[level] > counts[fill!] { fill = level }
                text.append(Text(name: name, fill: fill.map { levels[$0] } ?? "", categories: seen.map { levels[$0] }))
            }
        }
        return Preprocessing(numeric: numeric, text: text)
    }

    /// Encodes rows `rows` of `table` into `out` (rows × width, row-major). The table must hold
    /// every input column with the right kind (CSVReader with `readTypes`).
    public func encode(_ table: CSVTable, rows: [Int], into out: UnsafeMutablePointer<Float>) {
        let width = self.width
        out.initialize(repeating: 0, count: rows.count * width)
        for (j, column) in numeric.enumerated() {
            guard case .numeric(let values)? = table.column(column.name)?.values else { continue }
            values.withUnsafeBufferPointer { v in
                for (i, r) in rows.enumerated() {
                    let x = v[r].isNaN ? column.median : v[r]
                    out[i * width + j] = Float((x - column.mean) / column.scale)
                }
            }
        }
        var offset = numeric.count
        for column in text {
            guard case .text(let codes, let levels)? = table.column(column.name)?.values else { continue }
            // Each level of this file → its category's position, or -1 when unseen in training.
            var position: [String: Int] = [:]
            for (index, category) in column.categories.enumerated() { position[category] = index }
            let map = levels.map { position[$0] ?? -1 }
            let fill = position[column.fill] ?? -1
            for (i, r) in rows.enumerated() {
                let code = codes[r]
                let p = code < 0 ? fill : map[Int(code)]
                if p >= 0 { out[i * width + offset + p] = 1 }
            }
            offset += column.categories.count
        }
    }

    /// The types to read a CSV with so that it encodes as in training.
    public var readTypes: [String: CSVReader.ColumnType] {
        var types: [String: CSVReader.ColumnType] = [:]
        for column in numeric { types[column.name] = .numeric }
        for column in text { types[column.name] = .text }
        return types
    }
}

enum Statistics {
    /// The median, averaging the two middle values for an even count; 0 for none. Reorders `values`.
    static func median(_ values: inout [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        values.sort()
        let n = values.count
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
    }
}
