import Foundation
import Testing

@testable import RetrainML

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
