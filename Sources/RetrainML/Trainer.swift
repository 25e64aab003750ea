import Glibc
import RetrainBase

/// What to learn and how: the built-in models' parameters (see `retrain models`).
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// The learning task.
    public enum Task: String, Codable, Sendable {
        case binary, regression, multiclass
    }

    public var task: Task
    /// The column to predict.
    public var target: String
    /// The input columns; nil means every other column.
    public var features: [String]?
    public var epochs: Int = 100
    public var batchSize: Int = 32
    public var learningRate: Double = 0.001
    public var hiddenLayers: [Int] = [32, 16]
    public var l2: Double = 0.0001
    public var validationSplit: Double = 0.2
    /// Epochs without a better holdout loss before training stops; 0 never stops early.
    public var earlyStoppingPatience: Int = 10
    public var seed: UInt64 = 42

    enum CodingKeys: String, CodingKey {
        case task, target, features, epochs
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case hiddenLayers = "hidden_layers"
        case l2
        case validationSplit = "validation_split"
        case earlyStoppingPatience = "early_stopping_patience"
        case seed
    }

    /// A configuration with the defaults.
    public init(task: Task, target: String, features: [String]? = nil) {
        self.task = task
        self.target = target
        self.features = features
    }
}

/// Why training could not start or finish; the message says what to change.
public struct TrainingError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The built-in trainer: a table in, a trained model and its holdout metrics out. It knows
/// nothing of schedules, runs or files beyond the table it is given.
public enum Trainer {
    /// How training went, besides the model.
    public struct Summary: Codable, Sendable, Equatable {
        public var rows: Int
        public var trainRows: Int
        public var holdoutRows: Int
        public var encodedFeatures: Int
        public var epochsRun: Int
        /// The epoch whose weights were kept (the best holdout loss with early stopping, else the last).
        public var bestEpoch: Int
        /// Mean training loss of the last epoch run.
        public var finalTrainLoss: Double
        /// Seconds spent in the training loop alone.
        public var trainSeconds: Double

        enum CodingKeys: String, CodingKey {
            case rows
            case trainRows = "train_rows"
            case holdoutRows = "holdout_rows"
            case encodedFeatures = "encoded_features"
            case epochsRun = "epochs_run"
            case bestEpoch = "best_epoch"
            case finalTrainLoss = "final_train_loss"
            case trainSeconds = "train_seconds"
        }
    }

    /// The columns `train` reads from a file: the target and the features (every column when the
    /// features are not listed).
    public static func columns(_ config: TrainingConfig) -> Set<String>? {
        config.features.map { Set($0 + [config.target]) }
    }

    /// Trains on `table`. `file` names the data in messages; `log` receives one line per epoch.
    /// `split` receives the 0-based data rows trained on and held out, in row order.
    public static func train(
        _ table: CSVTable, config: TrainingConfig, file: String, split: ([Int], [Int]) -> Void = { _, _ in },
        log: (String) -> Void = { _ in }
    ) throws(TrainingError) -> Model {
        let data = try Dataset(table, config: config, file: file)
        var splitRandom = Xoshiro256(seed: config.seed)
        let (trainRows, holdoutRows) = data.split(config.validationSplit, random: &splitRandom)
        split(trainRows, holdoutRows)
        guard trainRows.count >= 2, !holdoutRows.isEmpty else {
            throw TrainingError(
                "\(file): \(table.rowCount) row\(table.rowCount == 1 ? " is" : "s are") too few to hold \(Int(config.validationSplit * 100))% out and train on the rest; add rows"
            )
        }
        let preprocessing = Preprocessing.fit(table, features: data.features, rows: trainRows)
        let width = preprocessing.width
        guard width > 0 else { throw TrainingError("\(file): no input columns are left to learn from; list some in `features`") }
        var trainX = [Float](repeating: 0, count: trainRows.count * width)
        var holdoutX = [Float](repeating: 0, count: holdoutRows.count * width)
        trainX.withUnsafeMutableBufferPointer { preprocessing.encode(table, rows: trainRows, into: $0.baseAddress!) }
        holdoutX.withUnsafeMutableBufferPointer { preprocessing.encode(table, rows: holdoutRows, into: $0.baseAddress!) }

        // The regression target is standardised on the training rows (it matters a lot on small sets).
        var targetScaling: Model.TargetScaling? = nil
        var trainY: [Float]
        let outputs: Int
        let head: Network.Head
        switch data.labels {
        case .values(let y):
            let ys = trainRows.map { y[$0] }
            let mean = ys.reduce(0, +) / Double(ys.count)
            let sd = (ys.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ys.count)).squareRoot()
            let scale = sd < 10 * Double.ulpOfOne ? 1 : sd
            targetScaling = Model.TargetScaling(mean: mean, scale: scale)
            trainY = ys.map { Float(($0 - mean) / scale) }
            outputs = 1
            head = .identity
        case .classes(let y, let names):
            trainY = trainRows.map { Float(y[$0]) }
            outputs = names.count == 2 ? 1 : names.count
            head = names.count == 2 ? .sigmoid : .softmax
        }

        var initRandom = Xoshiro256(seed: config.seed ^ 0x5EED_0001)
        var network = Network(sizes: [width] + config.hiddenLayers + [outputs], head: head, random: &initRandom)
        let holdoutTarget: HoldoutTarget =
            switch data.labels {
            case .values(let y): .values(holdoutRows.map { (y[$0] - targetScaling!.mean) / targetScaling!.scale })
            case .classes(let y, _): .classes(holdoutRows.map { y[$0] })
            }
        var optimiser = Optimiser(network: network, config: config)
        let summary = trainX.withUnsafeBufferPointer { x in
            trainY.withUnsafeBufferPointer { y in
                holdoutX.withUnsafeBufferPointer { hx in
                    optimiser.fit(
                        &network, x: x.baseAddress!, y: y.baseAddress!, rows: trainRows.count,
                        holdout: (hx.baseAddress!, holdoutTarget), log: log)
                }
            }
        }
        trainX = []
        trainY = []

        // Holdout metrics, in the target's own units.
        let outputsOnHoldout = holdoutX.withUnsafeBufferPointer { network.predict($0.baseAddress!, rows: holdoutRows.count) }
        let metrics: [String: Double]
        switch data.labels {
        case .values(let y):
            let predicted = outputsOnHoldout.map { $0 * targetScaling!.scale + targetScaling!.mean }
            metrics = Metrics.regression(actual: holdoutRows.map { y[$0] }, predicted: predicted)
        case .classes(let y, let names):
            let labels = holdoutRows.map { Int(y[$0]) }
            metrics =
                names.count == 2
                ? Metrics.binary(labels: labels, scores: outputsOnHoldout)
                : Metrics.multiclass(labels: labels, probabilities: outputsOnHoldout, classes: names.count)
        }
        var classes: [String]? = nil
        if case .classes(_, let names) = data.labels { classes = names }
        return Model(
            task: config.task, target: config.target, classes: classes, preprocessing: preprocessing, targetScaling: targetScaling,
            network: network, config: config, metrics: metrics,
            summary: Summary(
                rows: table.rowCount, trainRows: trainRows.count, holdoutRows: holdoutRows.count, encodedFeatures: width,
                epochsRun: summary.epochsRun, bestEpoch: summary.bestEpoch, finalTrainLoss: summary.finalTrainLoss,
                trainSeconds: summary.seconds))
    }
}

/// The holdout's targets as the loss sees them (a regression target already standardised).
enum HoldoutTarget {
    case values([Double])
    case classes([Int32])
}

/// The table checked against the config: the target's values and the feature list.
struct Dataset {
    enum Labels {
        /// A regression target.
        case values([Double])
        /// Class indices into the sorted class names.
        case classes([Int32], names: [String])
    }

    let features: [String]
    let labels: Labels

    init(_ table: CSVTable, config: TrainingConfig, file: String) throws(TrainingError) {
        let target = config.target
        guard let column = table.column(target) else {
            throw TrainingError(
                "\(file): the target column '\(target)' is not in the header; the columns are \(table.header.joined(separator: ", "))")
        }
        let features = config.features ?? table.header.filter { $0 != target }
        for name in features where table.column(name) == nil {
            throw TrainingError("\(file): the feature column '\(name)' is not in the header; the columns are \(table.header.joined(separator: ", "))")
        }
        if features.contains(target) { throw TrainingError("\(file): the target '\(target)' is also listed as a feature; remove it from `features`") }
        self.features = features
        func missing(_ row: Int) -> TrainingError {
            TrainingError(
                "\(file):\(table.lines[row]): the target '\(target)' is empty; every row needs a value to learn from (remove the row or fill it in)")
        }
        switch (config.task, column.values) {
        case (.regression, .numeric(let values)):
            if let row = values.firstIndex(where: \.isNaN) { throw missing(row) }
            labels = .values(values)
        case (.regression, .text(let codes, let levels)):
            let row = codes.firstIndex { $0 >= 0 && NumberParser.parse(levels[Int($0)]) == nil } ?? 0
            throw TrainingError(
                "\(file):\(table.lines[row]): the target '\(target)' must be a number for a regression model, and '\(codes[row] >= 0 ? levels[Int(codes[row])] : "")' is not"
            )
        case (_, .numeric(let values)):
            if let row = values.firstIndex(where: \.isNaN) { throw missing(row) }
            let distinct = Array(Set(values)).sorted()
            var index: [Double: Int32] = [:]
            for (i, v) in distinct.enumerated() { index[v] = Int32(i) }
            labels = .classes(values.map { index[$0]! }, names: distinct.map(Dataset.label))
        case (_, .text(let codes, let levels)):
            if let row = codes.firstIndex(of: -1) { throw missing(row) }
            let order = levels.indices.sorted { codePointLess(levels[$0], levels[$1]) }
            var rank = [Int32](repeating: 0, count: levels.count)
            for (i, level) in order.enumerated() { rank[level] = Int32(i) }
            labels = .classes(codes.map { rank[Int($0)] }, names: order.map { levels[$0] })
        }
        if case .classes(_, let names) = labels {
            let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? "…" : "")
            if names.count < 2 {
                throw TrainingError("\(file): the target '\(target)' has a single value (\(shown)); a classifier needs at least two")
            }
            if config.task == .binary, names.count != 2 {
                throw TrainingError(
                    "\(file): this model is binary but the target '\(target)' has \(names.count) values (\(shown)); it needs exactly two")
            }
            if names.count > 1000 {
                throw TrainingError(
                    "\(file): the target '\(target)' has \(names.count) distinct values; is it a class, or a number for a regression model?")
            }
        }
    }

    /// A numeric class as people write it: 1, not 1.0.
    static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// The holdout: for classification, `share` of each class's rows (stratified), else of all
    /// rows; chosen by `random`. Both lists are in row order.
    func split(_ share: Double, random: inout Xoshiro256) -> (train: [Int], holdout: [Int]) {
        let n: Int
        var groups: [[Int]]
        switch labels {
        case .values(let y):
            n = y.count
            groups = [Array(0..<n)]
        case .classes(let y, let names):
            n = y.count
            groups = Array(repeating: [], count: names.count)
            for (row, c) in y.enumerated() { groups[Int(c)].append(row) }
        }
        var held = [Bool](repeating: false, count: n)
        for var group in groups {
            random.shuffle(&group)
            let take = Int((share * Double(group.count)).rounded())
            for row in group.prefix(take) { held[row] = true }
        }
        var train: [Int] = []
        var holdout: [Int] = []
        for row in 0..<n { if held[row] { holdout.append(row) } else { train.append(row) } }
        return (train, holdout)
    }
}

/// Mini-batch Adam with scikit-learn's conventions: rows reshuffled every epoch, the last partial
/// batch kept, loss = mean over the batch (squared loss halved) + l2 · ‖W‖² / (2 · batch rows) on
/// the weights only, β1 0.9, β2 0.999, ε 1e-8, bias-corrected step size.
struct Optimiser {
    let config: TrainingConfig
    var m: [Float]
    var v: [Float]
    var step = 0

    init(network: Network, config: TrainingConfig) {
        self.config = config
        m = [Float](repeating: 0, count: network.parameters.count)
        v = m
    }

    struct Outcome {
        var epochsRun: Int
        var bestEpoch: Int
        var finalTrainLoss: Double
        var seconds: Double
    }

    mutating func fit(
        _ network: inout Network, x: UnsafePointer<Float>, y: UnsafePointer<Float>, rows: Int,
        holdout: (x: UnsafePointer<Float>, target: HoldoutTarget), log: (String) -> Void
    ) -> Outcome {
        let started = Self.monotonic()
        let sizes = network.sizes
        let layers = sizes.count - 1
        let width = sizes[0]
        let outputs = sizes[layers]
        let batch = min(config.batchSize, rows)
        var shuffleRandom = Xoshiro256(seed: config.seed ^ 0x5EED_0002)
        var order = Array(0..<rows)
        // The input rows as (column, value) lists of their non-zero values: one-hot blocks are mostly
        // zeros, and the first layer then touches only the weights rows that matter, without branches.
        let sparse = SparseRows(x, rows: rows, width: width)
        var batchRows = SparseRows(capacity: batch, width: width)
        // Per layer, the batch's activations (layer 0 is the gathered input) and the deltas.
        var activations = sizes.map { [Float](repeating: 0, count: batch * $0) }  // [0] unused: the input is sparse
        var delta = [Float](repeating: 0, count: batch * network.widest)
        var deltaPrevious = delta
        var gradient = [Float](repeating: 0, count: network.parameters.count)
        let offsets = (0...layers).map { network.offset($0) }
        let patience = config.earlyStoppingPatience
        let watch = patience > 0 && patience < config.epochs
        var best = (loss: Double.infinity, epoch: 0, parameters: [Float]())
        var epochsRun = 0
        var lastLoss = 0.0
        let headKind = network.head
        for epoch in 1...config.epochs {
            shuffleRandom.shuffle(&order)
            var lossSum = 0.0
            var start = 0
            while start < rows {
                let n = min(batch, rows - start)
                network.parameters.withUnsafeMutableBufferPointer { params in
                    let p = params.baseAddress!
                    // Forward, keeping every layer's output; the first layer reads the sparse rows.
                    batchRows.gather(sparse, order, start: start, rows: n)
                    activations[1].withUnsafeMutableBufferPointer { out in
                        batchRows.dense(rows: n, p, p + sizes[0] * sizes[1], outputs: sizes[1], out.baseAddress!, relu: layers > 1)
                    }
                    for l in 1..<layers {
                        let input = activations[l]
                        input.withUnsafeBufferPointer { a in
                            activations[l + 1].withUnsafeMutableBufferPointer { out in
                                Kernels.dense(
                                    a.baseAddress!, rows: n, inputs: sizes[l], p + offsets[l], p + offsets[l] + sizes[l] * sizes[l + 1],
                                    outputs: sizes[l + 1], out.baseAddress!, relu: l < layers - 1)
                            }
                        }
                    }
                    // The head, its loss, and the output delta (p − y) / n.
                    activations[layers].withUnsafeMutableBufferPointer { out in
                        delta.withUnsafeMutableBufferPointer { d in
                            lossSum += Self.head(
                                out.baseAddress!, rows: n, outputs: outputs, head: headKind, y: y, order: order, start: start, delta: d.baseAddress!)
                        }
                    }
                    // Backward.
                    gradient.withUnsafeMutableBufferPointer { g in
                        let g = g.baseAddress!
                        g.update(repeating: 0, count: params.count)
                        for l in stride(from: layers - 1, through: 0, by: -1) {
                            let inputs = sizes[l]
                            let outs = sizes[l + 1]
                            if l == 0 {
                                delta.withUnsafeBufferPointer { d in
                                    batchRows.backward(rows: n, d.baseAddress!, inputs: inputs, outputs: outs, gradient: g)
                                }
                            } else {
                                activations[l].withUnsafeBufferPointer { a in
                                    delta.withUnsafeMutableBufferPointer { d in
                                        deltaPrevious.withUnsafeMutableBufferPointer { dp in
                                            Self.backward(
                                                a.baseAddress!, d.baseAddress!, rows: n, inputs: inputs, outputs: outs, weights: p + offsets[l],
                                                gradient: g + offsets[l], deltaPrevious: dp.baseAddress!)
                                        }
                                    }
                                }
                            }
                            if l > 0 { swap(&delta, &deltaPrevious) }
                            // L2 on the weights: l2 · W / n.
                            let scale = Float(config.l2 / Double(n))
                            if scale > 0 {
                                let w = p + offsets[l]
                                let gw = g + offsets[l]
                                for i in 0..<(inputs * outs) { gw[i] += scale * w[i] }
                            }
                        }
                        step += 1
                        adam(p, g, count: params.count)
                    }
                }
                start += n
            }
            epochsRun = epoch
            lastLoss = lossSum / Double(rows)
            if watch {
                let holdoutLoss = Self.loss(network, holdout.x, holdout.target)
                log("epoch \(epoch)/\(config.epochs): train loss \(Self.format(lastLoss)), holdout loss \(Self.format(holdoutLoss))")
                if holdoutLoss < best.loss {
                    best = (holdoutLoss, epoch, network.parameters)
                } else if epoch - best.epoch >= patience {
                    log("stopping early: no better holdout loss for \(patience) epochs; keeping epoch \(best.epoch)")
                    break
                }
            } else {
                log("epoch \(epoch)/\(config.epochs): train loss \(Self.format(lastLoss))")
            }
        }
        var bestEpoch = epochsRun
        if watch, best.epoch > 0, best.epoch != epochsRun {
            network.parameters = best.parameters
            bestEpoch = best.epoch
        }
        return Outcome(epochsRun: epochsRun, bestEpoch: bestEpoch, finalTrainLoss: lastLoss, seconds: Self.monotonic() - started)
    }

    /// Applies the head to the batch's outputs in place, writes the output delta, returns the summed loss.
    static func head(
        _ out: UnsafeMutablePointer<Float>, rows n: Int, outputs: Int, head: Network.Head, y: UnsafePointer<Float>,
        order: [Int], start: Int, delta: UnsafeMutablePointer<Float>
    ) -> Double {
        Kernels.activate(out, rows: n, outputs: outputs, head: head)
        let inverse = 1 / Float(n)
        var loss = 0.0
        let eps = Float.ulpOfOne
        switch head {
        case .identity:
            for i in 0..<n {
                let e = out[i] - y[order[start + i]]
                delta[i] = e * inverse
                loss += Double(e * e) / 2
            }
        case .sigmoid:
            for i in 0..<n {
                let t = y[order[start + i]]
                let p = out[i]
                delta[i] = (p - t) * inverse
                let q = min(max(p, eps), 1 - eps)
                loss -= Double(t == 1 ? logf(q) : logf(1 - q))
            }
        case .softmax:
            for i in 0..<n {
                let t = Int(y[order[start + i]])
                let row = out + i * outputs
                for j in 0..<outputs { delta[i * outputs + j] = (row[j] - (j == t ? 1 : 0)) * inverse }
                loss -= Double(logf(min(max(row[t], eps), 1 - eps)))
            }
        }
        return loss
    }

    /// gradient(weights) += aᵀ · delta, gradient(bias) += Σ delta, and, when asked, the previous
    /// layer's delta: (delta · Wᵀ) where its ReLU was active, else 0.
    @inline(__always)
    static func backward(
        _ a: UnsafePointer<Float>, _ delta: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
        weights: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, deltaPrevious: UnsafeMutablePointer<Float>?
    ) {
        let gBias = gradient + inputs * outputs
        for r in 0..<rows {
            let d = delta + r * outputs
            let x = a + r * inputs
            if outputs == 1 {
                let dv = d[0]
                Kernels.axpy(dv, x, gradient, inputs)
                gBias[0] += dv
            } else {
                Kernels.spread(x, Consecutive(), count: inputs, d, outputs, gradient)
                Kernels.axpy(1, d, gBias, outputs)
            }
            if let deltaPrevious {
                let dp = deltaPrevious + r * inputs
                if outputs == 1 {
                    let dv = d[0]
                    for k in 0..<inputs { dp[k] = x[k] > 0 ? dv * weights[k] : 0 }
                } else {
                    for k in 0..<inputs { dp[k] = x[k] > 0 ? Kernels.dot(d, weights + k * outputs, outputs) : 0 }
                }
            }
        }
    }

    /// One Adam step over every parameter.
    mutating func adam(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int) {
        let b1 = 0.9
        let b2 = 0.999
        let rate = Float(config.learningRate * (1 - pow(b2, Double(step))).squareRoot() / (1 - pow(b1, Double(step))))
        let fb1 = Float(b1)
        let fb2 = Float(b2)
        let eps: Float = 1e-8
        m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
                let m = m.baseAddress!
                let v = v.baseAddress!
                var i = 0
                let rate8 = SIMD8<Float>(repeating: rate)
                while i &+ 8 <= count {
                    let gi = Kernels.load(g + i)
                    let mi = fb1 * Kernels.load(m + i) + (1 - fb1) * gi
                    let vi = fb2 * Kernels.load(v + i) + (1 - fb2) * gi * gi
                    Kernels.store(mi, m + i)
                    Kernels.store(vi, v + i)
                    Kernels.store(Kernels.load(p + i) - rate8 * mi / (vi.squareRoot() + eps), p + i)
                    i &+= 8
                }
                while i < count {
                    let gi = g[i]
                    m[i] = fb1 * m[i] + (1 - fb1) * gi
                    v[i] = fb2 * v[i] + (1 - fb2) * gi * gi
                    p[i] -= rate * m[i] / (v[i].squareRoot() + eps)
                    i &+= 1
                }
            }
        }
    }

    /// The mean loss of `network` on the holdout (without the l2 term).
    static func loss(_ network: Network, _ x: UnsafePointer<Float>, _ target: HoldoutTarget) -> Double {
        switch target {
        case .values(let y):
            let p = network.predict(x, rows: y.count)
            var s = 0.0
            for i in y.indices { s += (p[i] - y[i]) * (p[i] - y[i]) / 2 }
            return s / Double(max(y.count, 1))
        case .classes(let y):
            let p = network.predict(x, rows: y.count)
            let k = network.sizes.last!
            var s = 0.0
            for i in y.indices {
                let q = k == 1 ? (y[i] == 1 ? p[i] : 1 - p[i]) : p[i * k + Int(y[i])]
                s -= log(min(max(q, Double.ulpOfOne), 1 - Double.ulpOfOne))
            }
            return s / Double(max(y.count, 1))
        }
    }

    static func format(_ x: Double) -> String {
        let scaled = (x * 1_000_000).rounded() / 1_000_000
        return "\(scaled)"
    }

    static func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// Rows as lists of their non-zero (column, value) pairs (CSR), for the first layer.
struct SparseRows {
    var starts: [Int]
    var columns: [Int32]
    var values: [Float]

    init(_ x: UnsafePointer<Float>, rows: Int, width: Int) {
        starts = [0]
        starts.reserveCapacity(rows + 1)
        columns = []
        values = []
        for r in 0..<rows {
            for k in 0..<width where x[r * width + k] != 0 {
                columns.append(Int32(k))
                values.append(x[r * width + k])
            }
            starts.append(columns.count)
        }
    }

    /// Room for `rows` rows of up to `width` values each.
    init(capacity rows: Int, width: Int) {
        starts = [Int](repeating: 0, count: rows + 1)
        columns = [Int32](repeating: 0, count: rows * width)
        values = [Float](repeating: 0, count: rows * width)
    }

    /// Copies rows `order[start..<start+rows]` of `all` into this batch, so that the forward and
    /// backward passes read them from the cache instead of chasing shuffled rows through memory.
    mutating func gather(_ all: SparseRows, _ order: [Int], start: Int, rows: Int) {
        var at = 0
        all.columns.withUnsafeBufferPointer { c in
            all.values.withUnsafeBufferPointer { v in
                columns.withUnsafeMutableBufferPointer { bc in
                    values.withUnsafeMutableBufferPointer { bv in
                        for i in 0..<rows {
                            let row = order[start + i]
                            let first = all.starts[row]
                            let count = all.starts[row + 1] - first
                            // A plain loop: rows are a few dozen values, too short for memmove to pay off.
                            for e in 0..<count {
                                bc[at &+ e] = c[first &+ e]
                                bv[at &+ e] = v[first &+ e]
                            }
                            at += count
                            starts[i + 1] = at
                        }
                    }
                }
            }
        }
    }

    /// out = rows · w + bias for the first `rows` rows, ReLU'd when asked.
    func dense(rows: Int, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, outputs: Int, _ out: UnsafeMutablePointer<Float>, relu: Bool) {
        columns.withUnsafeBufferPointer { c in
            values.withUnsafeBufferPointer { v in
                for i in 0..<rows {
                    let o = out + i * outputs
                    let first = starts[i]
                    Kernels.combine(v.baseAddress! + first, Listed(rows: c.baseAddress! + first), count: starts[i + 1] - first, w, bias, outputs, o)
                    if relu { for j in 0..<outputs { o[j] = max(o[j], 0) } }
                }
            }
        }
    }

    /// gradient(weights) += rowsᵀ · delta and gradient(bias) += Σ delta, for the first `rows` rows.
    func backward(rows: Int, _ delta: UnsafePointer<Float>, inputs: Int, outputs: Int, gradient: UnsafeMutablePointer<Float>) {
        let bias = gradient + inputs * outputs
        columns.withUnsafeBufferPointer { c in
            values.withUnsafeBufferPointer { v in
                for i in 0..<rows {
                    let d = delta + i * outputs
                    let first = starts[i]
                    Kernels.spread(v.baseAddress! + first, Listed(rows: c.baseAddress! + first), count: starts[i + 1] - first, d, outputs, gradient)
                    Kernels.axpy(1, d, bias, outputs)
                }
            }
        }
    }
}
