import Foundation
import Testing

@testable import RetrainML

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
