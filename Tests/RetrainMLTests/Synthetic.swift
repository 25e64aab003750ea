import Foundation
import Testing

@testable import RetrainML

/// Synthetic tables with a signal no linear model can learn.
enum Synthetic {
    /// XOR of two signs (5 % of labels flipped), a text column and a few missing cells.
    static func xor(rows: Int, seed: UInt64 = 1) -> String {
        var random = Xoshiro256(seed: seed)
        var text = "x1,x2,group,label\n"
        for i in 0..<rows {
            let x1 = random.uniform(-1, 1)
            let x2 = random.uniform(-1, 1)
            var label = x1 * x2 > 0 ? "yes" : "no"
            if random.uniform(0, 1) < 0.05 { label = label == "yes" ? "no" : "yes" }
            let group = ["a", "b", "c"][random.below(3)]
            text += "\(i % 50 == 7 ? "" : String(x1)),\(x2),\(i % 40 == 3 ? "" : group),\(label)\n"
        }
        return text
    }

    /// y = sin(3x) + x² + noise.
    static func curve(rows: Int) -> String {
        var random = Xoshiro256(seed: 2)
        var text = "x,kind,y\n"
        for _ in 0..<rows {
            let x = random.uniform(-2, 2)
            let kind = random.below(2) == 0 ? "p" : "q"
            let y = sin(3 * x) + x * x + (kind == "p" ? 1 : 0) + random.uniform(-0.1, 0.1)
            text += "\(x),\(kind),\(y)\n"
        }
        return text
    }

    /// Three rings around the origin: inner, middle, outer.
    static func rings(rows: Int) -> String {
        var random = Xoshiro256(seed: 3)
        var text = "x,y,ring\n"
        for _ in 0..<rows {
            let x = random.uniform(-3, 3)
            let y = random.uniform(-3, 3)
            let r = (x * x + y * y).squareRoot()
            text += "\(x),\(y),\(r < 1.2 ? "inner" : r < 2.2 ? "middle" : "outer")\n"
        }
        return text
    }
}
