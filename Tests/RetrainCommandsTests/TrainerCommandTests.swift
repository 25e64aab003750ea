import Foundation
import RetrainTestSupport
import Testing

/// `train`, `predict`, and built-in schedules run by the reconciler: the built binary, for real.
@Suite struct TrainerCommandTests {
    func scratch() throws -> URL {
        let root = try scratchRepository()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("examples/data/risk.csv"), to: root.appendingPathComponent("data/risk.csv"))
        return root
    }

    /// `predict --schedule ID`: the schedule's champion, with no folder to look up.
    @Test func predictScoresWithASchedulesChampion() throws {
        let root = try scratch()
        try "model: risk\nstart: 2026-12-01\ndata: data/risk.csv\ntarget: risk_level\nparams: {epochs: 3, hidden_layers: [8]}\n".write(
            to: root.appendingPathComponent("schedules/r.yaml"), atomically: false, encoding: .utf8)
        let before = try retrain(["predict", "--schedule", "r", "--input", "data/risk.csv"], in: root)
        #expect(before.status == 1 && before.stderr.contains("no models for 'r' in models/"), "\(before.stderr)")
        let run = try retrain(["run", "r", "--wait", "--now", "2026-12-01T00:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let bySchedule = try retrain(["predict", "--schedule", "r", "--input", "data/risk.csv"], in: root)
        let byFolder = try retrain(["predict", "--model", "models/r/r@manual-20261201T000500Z", "--input", "data/risk.csv"], in: root)
        #expect(bySchedule.status == 0 && bySchedule.stdout.hasPrefix("row,prediction,probability_high,probability_low,probability_medium\n"))
        #expect(bySchedule.stdout == byFolder.stdout)
        let both = try retrain(["predict", "--schedule", "r", "--model", "x", "--input", "data/risk.csv"], in: root)
        #expect(both.status == 2 && both.stderr.contains("give --model PATH or --schedule ID (one of them)"))
    }

    @Test func trainWritesTheModelAndMetricsAndPredictScoresWithIt() throws {
        let root = try scratch()
        let train = try retrain(
            [
                "train", "--model", "risk", "--data", "data/risk.csv", "--target", "risk_level", "--param", "epochs=5",
                "--param", "hidden_layers=[16]", "--output", "out", "--metrics", "metrics.json",
            ], in: root)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("read data/risk.csv: 3000 rows"))
        #expect(train.stderr.contains("epoch 5/5: train loss"))
        #expect(train.stdout.hasPrefix("METRIC    HOLDOUT\naccuracy  0."))
        let metrics = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("metrics.json"))) as? [String: Double])
        #expect(Set(metrics.keys) == ["accuracy", "macro_f1", "log_loss"])
        let model = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("out/model.json"))) as? [String: Any])
        #expect(model["format"] as? String == "retrain-model")
        #expect(model["classes"] as? [String] == ["high", "low", "medium"])
        #expect((model["data"] as? [String: Any])?["rows"] as? Int == 3000)
        #expect(((model["data"] as? [String: Any])?["sha256"] as? String)?.count == 64)

        let predict = try retrain(["predict", "--model", "out", "--input", "data/risk.csv", "--output", "scores.csv"], in: root)
        #expect(predict.status == 0, "\(predict.stderr)")
        let rows = try String(contentsOf: root.appendingPathComponent("scores.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 3001)
        #expect(rows[0] == "row,prediction,probability_high,probability_low,probability_medium")
        #expect(rows[1].hasPrefix("1,"))
    }

    @Test func trainAndPredictErrorsNameTheFileAndSayWhatToDo() throws {
        let root = try scratch()
        let noTarget = try retrain(["train", "--model", "risk", "--data", "data/risk.csv", "--target", "level", "--output", "out"], in: root)
        #expect(noTarget.status == 1)
        #expect(
            noTarget.stderr.contains("\nretrain train: data/risk.csv: the target column 'level' is not in the header; the columns are budget_k, "))
        let badParam = try retrain(
            ["train", "--model", "risk", "--data", "data/risk.csv", "--target", "risk_level", "--param", "epoch=5", "--output", "out"], in: root)
        #expect(badParam.status == 1)
        #expect(badParam.stderr.hasPrefix("retrain train: params: 'epoch' is not a parameter of the built-in models; they take epochs,"))
        let unknownModel = try retrain(
            ["train", "--model", "churn", "--data", "data/risk.csv", "--target", "risk_level", "--output", "out"], in: root)
        #expect(
            unknownModel.stderr == "retrain train: 'churn' is not a built-in model; the built-in models are attrition, duration, performance, risk\n")
        let noModel = try retrain(["predict", "--model", "nowhere", "--input", "data/risk.csv"], in: root)
        #expect(noModel.status == 1)
        #expect(noModel.stderr.hasPrefix("retrain predict: nowhere/model.json: no such model file"))
    }

    @Test func aBuiltInScheduleTrainsInARunAndRecordsItsModel() throws {
        let root = try scratch()
        let schedule = """
            model: risk
            start: 2026-11-25 10:00
            repeat: daily
            data: data/risk.csv
            target: risk_level
            features: [team_size, budget_k, methodology]
            params: {epochs: 3, hidden_layers: [8]}
            """
        try schedule.write(to: root.appendingPathComponent("schedules/risk-daily.yaml"), atomically: false, encoding: .utf8)
        let header = try String(contentsOf: root.appendingPathComponent("data/risk.csv"), encoding: .utf8).prefix { $0 != "\n" }
        let features = ["team_size", "budget_k", "methodology"].filter { header.split(separator: ",").contains(Substring($0)) }
        #expect(features.count == 3, "the example risk data changed its columns: \(header)")
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("risk-daily  finish  run_ended  risk-daily@20261125T100000Z  completed: accuracy "))
        let folder = "reports/risk-daily/risk-daily@20261125T100000Z"
        let result = try #require(
            JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(folder + "/result.json"))) as? [String: Any])
        #expect(result["status"] as? String == "completed")
        #expect(Set((result["metrics"] as? [String: Double] ?? [:]).keys) == ["accuracy", "macro_f1", "log_loss"])
        let log = try String(contentsOf: root.appendingPathComponent(folder + "/log.txt"), encoding: .utf8)
        #expect(log.contains("epoch 3/3: train loss"))
        let model = try #require(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: root.appendingPathComponent("models/risk-daily/risk-daily@20261125T100000Z/model.json"))) as? [String: Any])
        let preprocessing = try #require(model["preprocessing"] as? [String: Any])
        let names =
            ((preprocessing["numeric"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            + ((preprocessing["text"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["team_size", "budget_k", "methodology"])  // the schedule's features, and only them
    }
}
