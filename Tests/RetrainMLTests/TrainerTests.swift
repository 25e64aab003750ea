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

@Suite struct MetricsTests {
    // Expected values from scikit-learn 1.9.1 (roc_auc_score, accuracy_score, precision_score,
    // recall_score, f1_score, log_loss, root_mean_squared_error, mean_absolute_error, r2_score).

    @Test func binaryMetricsMatchScikitLearn() {
        let labels = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
        let scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.05, 0.9, 0.5, 0.7]  // three tied at 0.4
        let m = Metrics.binary(labels: labels, scores: scores)
        #expect(m["auc"] == 0.76)
        #expect(m["accuracy"] == 0.7)
        #expect(m["precision"] == 0.75)
        #expect(m["recall"] == 0.6)
        #expect(abs(m["f1"]! - 0.6666666666666666) < 1e-15)
        #expect(abs(m["log_loss"]! - 0.5370041965808109) < 1e-12)
    }

    @Test func aucEdgeCases() {
        #expect(Metrics.auc(labels: [0, 1, 0, 1], scores: [0.5, 0.5, 0.5, 0.5]) == 0.5)  // all tied
        #expect(Metrics.auc(labels: [0, 0, 1, 1], scores: [0.1, 0.2, 0.3, 0.4]) == 1)
        #expect(Metrics.auc(labels: [1, 1, 0, 0], scores: [0.1, 0.2, 0.3, 0.4]) == 0)
        #expect(Metrics.auc(labels: [1, 1], scores: [0.1, 0.2]) == 0.5)  // one class only
    }

    @Test func noPredictedPositivesGiveZeroNotNaN() {
        let m = Metrics.binary(labels: [1, 0], scores: [0.1, 0.2])
        #expect(m["precision"] == 0 && m["recall"] == 0 && m["f1"] == 0)
    }

    @Test func regressionMetricsMatchScikitLearn() {
        let m = Metrics.regression(actual: [3, -0.5, 2, 7], predicted: [2.5, 0, 2, 8])
        #expect(abs(m["rmse"]! - 0.6123724356957945) < 1e-15)
        #expect(m["mae"] == 0.5)
        #expect(abs(m["r2"]! - 0.9486081370449679) < 1e-15)
    }

    @Test func multiclassMetricsMatchScikitLearn() {
        let p: [[Double]] = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3], [0.2, 0.5, 0.3], [0.4, 0.4, 0.2]]
        let m = Metrics.multiclass(labels: [0, 1, 2, 2, 1, 0], probabilities: p.flatMap { $0 }, classes: 3)
        #expect(abs(m["accuracy"]! - 0.8333333333333334) < 1e-15)
        #expect(abs(m["macro_f1"]! - 0.8222222222222223) < 1e-15)
        #expect(abs(m["log_loss"]! - 0.6986228180384585) < 1e-12)
    }
}

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

@Suite struct TrainerTests {
    func config(_ task: TrainingConfig.Task, target: String, hidden: [Int] = [16], epochs: Int = 60) -> TrainingConfig {
        var c = TrainingConfig(task: task, target: target)
        c.hiddenLayers = hidden
        c.epochs = epochs
        c.learningRate = 0.01
        c.earlyStoppingPatience = 0
        c.seed = 5
        return c
    }

    @Test func aNetworkLearnsXorWhereTheLinearModelCannot() throws {
        let table = try CSVReader.read(try csvFile(Synthetic.xor(rows: 2000)))
        let network = try Trainer.train(table, config: config(.binary, target: "label"), file: "xor.csv")
        let linear = try Trainer.train(table, config: config(.binary, target: "label", hidden: []), file: "xor.csv")
        #expect(network.classes == ["no", "yes"])
        #expect(network.summary.holdoutRows == 400 && network.summary.trainRows == 1600)
        // A trivial model (the majority class, one score for all) has AUC 0.5 and accuracy ≈ 0.5.
        #expect(network.metrics["auc"]! > 0.9, "\(network.metrics)")
        #expect(network.metrics["accuracy"]! > 0.85)
        #expect(linear.metrics["auc"]! < 0.65, "\(linear.metrics)")
    }

    @Test func regressionBeatsTheMeanAndReportsTheTargetsUnits() throws {
        let table = try CSVReader.read(try csvFile(Synthetic.curve(rows: 2000)))
        let model = try Trainer.train(table, config: config(.regression, target: "y", hidden: [32]), file: "curve.csv")
        #expect(model.metrics["r2"]! > 0.9, "\(model.metrics)")  // the mean predictor has r2 = 0
        #expect(model.metrics["rmse"]! < 0.4)
        #expect(model.targetScaling != nil)
    }

    @Test func threeClassesBeatTheMajority() throws {
        let table = try CSVReader.read(try csvFile(Synthetic.rings(rows: 2000)))
        let model = try Trainer.train(table, config: config(.multiclass, target: "ring", hidden: [32]), file: "rings.csv")
        #expect(model.classes == ["inner", "middle", "outer"])
        #expect(model.metrics["accuracy"]! > 0.85, "\(model.metrics)")  // the majority class is about 0.6
        #expect(model.network.sizes == [2, 32, 3])
    }

    @Test func theSameSeedGivesTheSameBits() throws {
        let table = try CSVReader.read(try csvFile(Synthetic.xor(rows: 600)))
        var c = config(.binary, target: "label", hidden: [8, 4], epochs: 15)
        let a = try Trainer.train(table, config: c, file: "x")
        let b = try Trainer.train(table, config: c, file: "x")
        #expect(a.network.parameters.map(\.bitPattern) == b.network.parameters.map(\.bitPattern))
        #expect(a.metrics == b.metrics)
        c.seed = 6
        let other = try Trainer.train(table, config: c, file: "x")
        #expect(other.network.parameters != a.network.parameters)
    }

    @Test func earlyStoppingKeepsTheBestEpoch() throws {
        // Pure noise: the holdout loss stops improving quickly.
        var random = Xoshiro256(seed: 9)
        var text = "a,b,y\n"
        for _ in 0..<400 { text += "\(random.uniform(0, 1)),\(random.uniform(0, 1)),\(random.below(2))\n" }
        let table = try CSVReader.read(try csvFile(text))
        var c = config(.binary, target: "y", hidden: [64], epochs: 500)
        c.earlyStoppingPatience = 5
        c.learningRate = 0.05
        var lines: [String] = []
        let model = try Trainer.train(table, config: c, file: "noise.csv", log: { lines.append($0) })
        #expect(model.summary.epochsRun < 500)
        #expect(model.summary.epochsRun - model.summary.bestEpoch == 5)
        #expect(lines.last?.hasPrefix("stopping early") == true)
    }

    @Test func theArtifactRoundTripsAndPredictsAsTraining() throws {
        let path = try csvFile(Synthetic.xor(rows: 500))
        let table = try CSVReader.read(path)
        let model = try Trainer.train(table, config: config(.binary, target: "label", epochs: 10), file: "x")
        let json = try JSONEncoder().encode(model)
        let back = try JSONDecoder().decode(Model.self, from: json)
        #expect(back == model)
        // Scoring the file with the reloaded model, read as the artifact says, gives the same bits.
        let again = try CSVReader.read(path, keep: Set(back.preprocessing.readTypes.keys), types: back.preprocessing.readTypes)
        let before = try model.predict(table, file: path)
        let after = try back.predict(again, file: path)
        #expect(before == after)
        #expect(after.labels.count == 500)
        #expect(after.probabilities[0].count == 2 && abs(after.probabilities[0].reduce(0, +) - 1) < 1e-6)
        // A file without an input column is refused by name.
        let missing = try CSVReader.read(try csvFile("x1,group\n0.5,a\n"))
        #expect(errorMessage { _ = try back.predict(missing, file: "new.csv") }?.hasPrefix("new.csv: the model needs the column 'x2'") == true)
    }

    // Bad tables: the message says what to change.

    @Test func aMissingTargetColumn() throws {
        let table = try CSVReader.read(try csvFile("a,b\n1,2\n"))
        #expect(
            errorMessage { _ = try Trainer.train(table, config: config(.binary, target: "left"), file: "d.csv") }
                == "d.csv: the target column 'left' is not in the header; the columns are a, b")
    }

    @Test func aMissingFeatureColumn() throws {
        let table = try CSVReader.read(try csvFile("a,b\n1,2\n"))
        var c = config(.regression, target: "b")
        c.features = ["a", "z"]
        #expect(
            errorMessage { _ = try Trainer.train(table, config: c, file: "d.csv") }
                == "d.csv: the feature column 'z' is not in the header; the columns are a, b")
    }

    @Test func anEmptyTargetCellNamesItsLine() throws {
        let table = try CSVReader.read(try csvFile("a,y\n1,0\n2,\n3,1\n"))
        #expect(
            errorMessage { _ = try Trainer.train(table, config: config(.binary, target: "y"), file: "d.csv") }
                == "d.csv:3: the target 'y' is empty; every row needs a value to learn from (remove the row or fill it in)")
    }

    @Test func aBinaryModelNeedsTwoClassesAndRegressionNeedsNumbers() throws {
        let three = try CSVReader.read(try csvFile("a,y\n1,x\n2,y\n3,z\n"))
        #expect(
            errorMessage { _ = try Trainer.train(three, config: config(.binary, target: "y"), file: "d.csv") }
                == "d.csv: this model is binary but the target 'y' has 3 values (x, y, z); it needs exactly two")
        #expect(
            errorMessage { _ = try Trainer.train(three, config: config(.regression, target: "y"), file: "d.csv") }
                == "d.csv:2: the target 'y' must be a number for a regression model, and 'x' is not")
    }

    @Test func tooFewRows() throws {
        let table = try CSVReader.read(try csvFile("a,y\n1,2\n"))
        #expect(
            errorMessage { _ = try Trainer.train(table, config: config(.regression, target: "y"), file: "d.csv") }
                == "d.csv: 1 row is too few to hold 20% out and train on the rest; add rows")
    }
}
