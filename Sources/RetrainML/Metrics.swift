import Glibc

/// Holdout metrics, with scikit-learn's definitions (`sklearn.metrics`), in Double.
public enum Metrics {
    /// Binary classification: `labels` are 0/1, `scores` the probability of 1. auc (exact, tied
    /// scores share their average rank), accuracy / precision / recall / f1 at 0.5 (a ratio with
    /// nothing to divide is 0, as sklearn's `zero_division=0`), log_loss (clipped at machine epsilon).
    public static func binary(labels: [Int], scores: [Double]) -> [String: Double] {
        let n = labels.count
        var tp = 0.0
        var fp = 0.0
        var fn = 0.0
        var tn = 0.0
        var loss = 0.0
        for i in 0..<n {
            let predicted = scores[i] >= 0.5
            let actual = labels[i] == 1
            switch (predicted, actual) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            case (false, false): tn += 1
            }
            let p = min(max(scores[i], Double.ulpOfOne), 1 - Double.ulpOfOne)
            loss -= actual ? log(p) : log(1 - p)
        }
        let precision = tp + fp > 0 ? tp / (tp + fp) : 0
        let recall = tp + fn > 0 ? tp / (tp + fn) : 0
        let f1 = 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : 0
        return [
            "auc": auc(labels: labels, scores: scores),
            "accuracy": n > 0 ? (tp + tn) / Double(n) : 0,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "log_loss": n > 0 ? loss / Double(n) : 0,
        ]
    }

    /// Area under the ROC curve by the rank-sum formula; 0.5 when one class is absent.
    public static func auc(labels: [Int], scores: [Double]) -> Double {
        let n = labels.count
        var pairs = (0..<n).map { (score: scores[$0], positive: labels[$0] == 1) }
        pairs.sort { $0.score < $1.score }  // ties are grouped below, so their order does not matter
        var positives = 0.0
        var rankSum = 0.0
        var i = 0
        while i < n {
            var j = i
            var tiedPositives = 0.0
            while j < n, pairs[j].score == pairs[i].score {
                if pairs[j].positive { tiedPositives += 1 }
                j += 1
            }
            rankSum += tiedPositives * Double(i + j + 1) / 2  // the average of the 1-based ranks i+1 … j
            positives += tiedPositives
            i = j
        }
        let negatives = Double(n) - positives
        guard positives > 0, negatives > 0 else { return 0.5 }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// Regression, in the target's own units: rmse, mae, r2 (0 when the holdout's target is constant).
    public static func regression(actual: [Double], predicted: [Double]) -> [String: Double] {
        let n = Double(actual.count)
        guard n > 0 else { return ["rmse": 0, "mae": 0, "r2": 0] }
        var squared = 0.0
        var absolute = 0.0
        var sum = 0.0
        for i in actual.indices {
            let e = predicted[i] - actual[i]
            squared += e * e
            absolute += abs(e)
            sum += actual[i]
        }
        let mean = sum / n
        var total = 0.0
        for y in actual { total += (y - mean) * (y - mean) }
        return ["rmse": (squared / n).squareRoot(), "mae": absolute / n, "r2": total > 0 ? 1 - squared / total : 0]
    }

    /// Multiclass: `labels` are class indices, `probabilities` rows × classes. accuracy (argmax, the
    /// first class on ties), macro_f1 (unweighted mean of the f1 of each class that occurs), log_loss (clipped at
    /// epsilon, rows renormalised).
    public static func multiclass(labels: [Int], probabilities: [Double], classes: Int) -> [String: Double] {
        let n = labels.count
        var correct = 0.0
        var loss = 0.0
        var tp = [Double](repeating: 0, count: classes)
        var fp = tp
        var fn = tp
        for i in 0..<n {
            let row = probabilities[(i * classes)..<((i + 1) * classes)]
            var best = row.startIndex
            var total = 0.0
            for j in row.indices {
                if row[j] > row[best] { best = j }
                total += min(max(row[j], Double.ulpOfOne), 1 - Double.ulpOfOne)
            }
            let predicted = best - row.startIndex
            if predicted == labels[i] {
                correct += 1
                tp[predicted] += 1
            } else {
                fp[predicted] += 1
                fn[labels[i]] += 1
            }
            let p = min(max(row[row.startIndex + labels[i]], Double.ulpOfOne), 1 - Double.ulpOfOne) / total
            loss -= log(p)
        }
        // Over the classes that occur in the labels or the predictions, as sklearn's macro average.
        var f1Sum = 0.0
        var present = 0.0
        for c in 0..<classes {
            let denominator = 2 * tp[c] + fp[c] + fn[c]
            guard denominator > 0 else { continue }
            f1Sum += 2 * tp[c] / denominator
            present += 1
        }
        return [
            "accuracy": n > 0 ? correct / Double(n) : 0,
            "macro_f1": present > 0 ? f1Sum / present : 0,
            "log_loss": n > 0 ? loss / Double(n) : 0,
        ]
    }
}
