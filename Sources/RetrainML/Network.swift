import Glibc

/// A dense network: ReLU hidden layers and a sigmoid, softmax or identity head, with every
/// parameter in one flat `Float` buffer (per layer: the weights, inputs × outputs row-major, then
/// the biases), so that Adam is one loop and the artifact one list.
public struct Network: Codable, Sendable, Equatable {
    /// The output unit(s) and loss.
    public enum Head: String, Codable, Sendable {
        /// One unit, logistic, log loss: binary classification.
        case sigmoid
        /// One unit per class, log loss: multiclass.
        case softmax
        /// One unit, squared loss: regression.
        case identity
    }

    /// Units per layer, inputs first, outputs last.
    public var sizes: [Int]
    /// The head.
    public var head: Head
    /// Every weight and bias.
    public var parameters: [Float]

    /// Where layer `l`'s weights start in `parameters` (its biases follow them).
    func offset(_ l: Int) -> Int {
        var o = 0
        for i in 0..<l { o += (sizes[i] + 1) * sizes[i + 1] }
        return o
    }

    /// A network with Glorot-uniform weights and biases, as scikit-learn initialises its MLP:
    /// uniform in ±sqrt(6 / (fan_in + fan_out)) (±sqrt(2 / …) for a sigmoid output layer).
    public init(sizes: [Int], head: Head, random: inout Xoshiro256) {
        self.sizes = sizes
        self.head = head
        parameters = []
        for l in 0..<(sizes.count - 1) {
            let fanIn = sizes[l]
            let fanOut = sizes[l + 1]
            let factor = (l == sizes.count - 2 && head == .sigmoid) ? 2.0 : 6.0
            let bound = (factor / Double(fanIn + fanOut)).squareRoot()
            for _ in 0..<(fanIn * fanOut) { parameters.append(Float(random.uniform(-bound, bound))) }
            for _ in 0..<fanOut { parameters.append(Float(random.uniform(-bound, bound))) }
        }
    }

    /// The widest layer.
    var widest: Int { sizes.max() ?? 1 }

    /// The outputs of `rows` encoded rows: probabilities of the positive class (sigmoid), of each
    /// class (softmax, row-major), or the raw value (identity).
    public func predict(_ input: UnsafePointer<Float>, rows: Int) -> [Double] {
        let outputs = sizes.last!
        var result = [Double](repeating: 0, count: rows * outputs)
        let chunk = 256
        var a = [Float](repeating: 0, count: chunk * widest)
        var b = [Float](repeating: 0, count: chunk * widest)
        parameters.withUnsafeBufferPointer { p in
            a.withUnsafeMutableBufferPointer { a in
                b.withUnsafeMutableBufferPointer { b in
                    var start = 0
                    while start < rows {
                        let n = min(chunk, rows - start)
                        let last = forward(p.baseAddress!, input: input + start * sizes[0], rows: n, a.baseAddress!, b.baseAddress!)
                        for i in 0..<(n * outputs) { result[start * outputs + i] = Double(last[i]) }
                        start += n
                    }
                }
            }
        }
        return result
    }

    /// Runs `rows` rows through every layer using the two scratch buffers in turn; returns the
    /// buffer holding the head's output (after sigmoid or softmax).
    func forward(
        _ p: UnsafePointer<Float>, input: UnsafePointer<Float>, rows: Int,
        _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>
    ) -> UnsafeMutablePointer<Float> {
        var source = input
        var target = a
        var other = b
        var o = 0
        for l in 0..<(sizes.count - 1) {
            let last = l == sizes.count - 2
            Kernels.dense(source, rows: rows, inputs: sizes[l], p + o, p + o + sizes[l] * sizes[l + 1], outputs: sizes[l + 1], target, relu: !last)
            o += (sizes[l] + 1) * sizes[l + 1]
            source = UnsafePointer(target)
            swap(&target, &other)
        }
        let out = UnsafeMutablePointer(mutating: source)
        Kernels.activate(out, rows: rows, outputs: sizes.last!, head: head)
        return out
    }
}

/// Which weight row each coefficient of `Kernels.combine`/`spread` goes with.
protocol RowMap {
    subscript(_ e: Int) -> Int { get }
}

/// Coefficient e goes with row e (a dense input).
struct Consecutive: RowMap {
    @inline(__always) subscript(_ e: Int) -> Int { e }
}

/// Coefficient e goes with row `rows[e]` (a sparse input's column).
struct Listed: RowMap {
    let rows: UnsafePointer<Int32>
    @inline(__always) subscript(_ e: Int) -> Int { Int(rows[e]) }
}

/// The arithmetic of training, on raw pointers so that the loops vectorise.
enum Kernels {
    /// out (rows × outputs) = input (rows × inputs) · w (inputs × outputs) + bias, then ReLU when asked.
    @inline(__always)
    static func dense(
        _ input: UnsafePointer<Float>, rows: Int, inputs: Int, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
        outputs: Int, _ out: UnsafeMutablePointer<Float>, relu: Bool
    ) {
        for r in 0..<rows {
            let o = out + r &* outputs
            let x = input + r &* inputs
            if outputs == 1 {
                o[0] = bias[0] + dot(x, w, inputs)
            } else {
                combine(x, Consecutive(), count: inputs, w, bias, outputs, o)
            }
            if relu { for j in 0..<outputs { o[j] = max(o[j], 0) } }
        }
    }

    /// out (n values) = bias + Σₑ coefficient[e] · w[row e], where row e is `rows[e]` or e itself.
    /// 32 outputs at a time stay in registers while the weight rows stream past.
    @inline(__always)
    static func combine<Rows: RowMap>(
        _ coefficient: UnsafePointer<Float>, _ rows: Rows, count: Int, _ w: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>, _ n: Int, _ out: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j &+ 32 <= n {
            var a0 = load(bias + j)
            var a1 = load(bias + j + 8)
            var a2 = load(bias + j + 16)
            var a3 = load(bias + j + 24)
            for e in 0..<count {
                let c = SIMD8<Float>(repeating: coefficient[e])
                let row = w + rows[e] &* n + j
                a0.addProduct(c, load(row))
                a1.addProduct(c, load(row + 8))
                a2.addProduct(c, load(row + 16))
                a3.addProduct(c, load(row + 24))
            }
            store(a0, out + j)
            store(a1, out + j + 8)
            store(a2, out + j + 16)
            store(a3, out + j + 24)
            j &+= 32
        }
        while j &+ 8 <= n {
            var a0 = load(bias + j)
            for e in 0..<count {
                a0.addProduct(SIMD8<Float>(repeating: coefficient[e]), load(w + rows[e] &* n + j))
            }
            store(a0, out + j)
            j &+= 8
        }
        while j < n {
            var a = bias[j]
            for e in 0..<count { a += coefficient[e] * w[rows[e] &* n + j] }
            out[j] = a
            j &+= 1
        }
    }

    /// gradient[row e] += coefficient[e] · delta for every e (n values each), row e being `rows[e]`
    /// or e itself; delta stays in registers, 32 values at a time.
    @inline(__always)
    static func spread<Rows: RowMap>(
        _ coefficient: UnsafePointer<Float>, _ rows: Rows, count: Int, _ delta: UnsafePointer<Float>,
        _ n: Int, _ gradient: UnsafeMutablePointer<Float>
    ) {
        var j = 0
        while j &+ 32 <= n {
            let d0 = load(delta + j)
            let d1 = load(delta + j + 8)
            let d2 = load(delta + j + 16)
            let d3 = load(delta + j + 24)
            for e in 0..<count {
                let c = SIMD8<Float>(repeating: coefficient[e])
                let row = gradient + rows[e] &* n + j
                store(load(row).addingProduct(c, d0), row)
                store(load(row + 8).addingProduct(c, d1), row + 8)
                store(load(row + 16).addingProduct(c, d2), row + 16)
                store(load(row + 24).addingProduct(c, d3), row + 24)
            }
            j &+= 32
        }
        while j &+ 8 <= n {
            let d0 = load(delta + j)
            for e in 0..<count {
                let row = gradient + rows[e] &* n + j
                store(load(row).addingProduct(SIMD8<Float>(repeating: coefficient[e]), d0), row)
            }
            j &+= 8
        }
        while j < n {
            for e in 0..<count { gradient[rows[e] &* n + j] += coefficient[e] * delta[j] }
            j &+= 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// y += a · x, n values.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var j = 0
        while j &+ 8 <= n {
            store(load(y + j).addingProduct(SIMD8<Float>(repeating: a), load(x + j)), y + j)
            j &+= 8
        }
        while j < n {
            y[j] += a * x[j]
            j &+= 1
        }
    }

    /// The sum of x[j] · y[j], n values.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var j = 0
        while j &+ 8 <= n {
            acc.addProduct(load(x + j), load(y + j))
            j &+= 8
        }
        var s = acc.sum()
        while j < n {
            s += x[j] * y[j]
            j &+= 1
        }
        return s
    }

    /// The head's activation, in place.
    static func activate(_ z: UnsafeMutablePointer<Float>, rows: Int, outputs: Int, head: Network.Head) {
        switch head {
        case .identity:
            break
        case .sigmoid:
            for i in 0..<rows { z[i] = sigmoid(z[i]) }
        case .softmax:
            for r in 0..<rows {
                let row = z + r * outputs
                var top = row[0]
                for j in 1..<outputs { top = max(top, row[j]) }
                var sum: Float = 0
                for j in 0..<outputs {
                    row[j] = expf(row[j] - top)
                    sum += row[j]
                }
                for j in 0..<outputs { row[j] /= sum }
            }
        }
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0
            ? 1 / (1 + expf(-x))
            : {
                let e = expf(x)
                return e / (1 + e)
            }()
    }
}

/// xoshiro256** seeded through SplitMix64: fast, and the same numbers on every platform, which
/// the determinism promise needs (Swift's SystemRandomNumberGenerator is neither seedable nor stable).
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    var s: (UInt64, UInt64, UInt64, UInt64)

    /// A generator for `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) * 0x1p-53
    }

    /// Uniform integer in 0..<n (n > 0), without modulo bias (Lemire's method, written out so the
    /// sequence does not depend on the standard library's version).
    mutating func below(_ n: Int) -> Int {
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// Fisher–Yates, in place.
    mutating func shuffle(_ a: inout [Int]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
    }
}
