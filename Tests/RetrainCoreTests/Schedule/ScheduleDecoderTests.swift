import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

@Suite struct ScheduleDecoderTests {
    @Test func theDesignExampleDecodesWithEveryField() throws {
        let source = """
            version: 1
            model: attrition
            description: Weekly retrain
            enabled: true
            start: 2026-12-01 02:00
            timezone: Europe/Madrid
            repeat: weekly
            end: 2027-12-31
            catchup: latest
            deadline: 6h
            data: examples/data/attrition.csv
            target: left_company
            features: [age, tenure_years, overtime, satisfaction]
            params:
              epochs: 100
              batch_size: 32
              learning_rate: 0.001
              hidden_layers: [32, 16]
            timeout: 2h
            retries: 2
            retry_delay: 10m
            executor: local
            gates:
              - auc >= 0.80
              - auc >= champion.auc - 0.02
              - log_loss <= previous.log_loss * 1.10
            notify:
              email: [ml-team@example.com]
              on: [failed, rejected, stale]
              stale_after: 15d
            labels: {team: people-analytics}
            trigger: "2026-11-25-1"

            """
        let (spec, diagnostics) = rendered(source)
        #expect(diagnostics == "")
        let s = try #require(spec)
        #expect(s.timezone == "Europe/Madrid" && s.repeatRule == .weekly && s.catchup == .latest)
        #expect(s.end == LocalDateTime(year: 2027, month: 12, day: 31, dateOnly: true))
        #expect(s.deadline == TimeSpan(seconds: 21_600) && s.timeout == TimeSpan(seconds: 7200) && s.retryDelay == TimeSpan(seconds: 600))
        #expect(s.params.map(\.0) == ["epochs", "batch_size", "learning_rate", "hidden_layers"])
        #expect(s.params[3].1 == .list([.int(32), .int(16)]))
        #expect(s.gates.count == 3 && s.notify?.staleAfter == TimeSpan(seconds: 15 * 86_400))
        #expect(s.labels.map(\.0) == ["team"] && s.trigger == "2026-11-25-1" && s.builtinModel?.name == "attrition")
    }

    @Test func defaultsApplyWhenOptionalKeysAreAbsent() throws {
        let s = try #require(rendered(base).0)
        #expect(s.enabled && s.timezone == "UTC" && s.repeatRule == .once && s.catchup == .latest)
        #expect(s.timeout == TimeSpan(seconds: 6 * 3600) && s.retries == 0 && s.retryDelay == TimeSpan(seconds: 300))
    }

    @Test(arguments: [
        ("modle: x\n", "s.yaml:5:1: error: unknown key 'modle' in a schedule; did you mean 'model'?\n 5 | modle: x\n   | ^\n"),
        (
            "enabled: off\n",
            "s.yaml:5:10: error: 'enabled' is 'off', which YAML 1.2 reads as text, not a boolean (YAML 1.1 read it as false); write false\n 5 | enabled: off\n   |          ^\n"
        ),
        ("retries: 101\n", "s.yaml:5:10: error: 'retries' is 101, outside 0...100\n 5 | retries: 101\n   |          ^\n"),
        (
            "timezone: Mars/Olympus\n",
            "s.yaml:5:11: error: unknown time zone 'Mars/Olympus'; use an IANA name such as Europe/Madrid or UTC\n 5 | timezone: Mars/Olympus\n   |           ^\n"
        ),
        (
            "repeat: \"0 0 * * FUN\"\n",
            "s.yaml:5:18: error: 'repeat': 'FUN' is not valid in the day of week field; write a number from 0 to 7 or a name (SUN…SAT)\n 5 | repeat: \"0 0 * * FUN\"\n   |                  ^\n"
        ),
        (
            "repeat: fortnightly\n",
            "s.yaml:5:9: error: 'repeat' is 'fortnightly'; write once, daily, weekly, monthly, a cron expression of 5 fields, or one of @hourly, @daily, @weekly, @monthly\n 5 | repeat: fortnightly\n   |         ^\n"
        ),
        (
            "gates: [\"r2 >= 0.5\"]\n",
            "s.yaml:5:9: error: the 'attrition' model does not produce 'r2'; its metrics are auc, accuracy, precision, recall, f1, log_loss\n 5 | gates: [\"r2 >= 0.5\"]\n   |         ^\n"
        ),
        (
            "gates: [\"auc >= champion.rmse\"]\n",
            "s.yaml:5:26: error: the 'attrition' model does not produce 'rmse'; its metrics are auc, accuracy, precision, recall, f1, log_loss\n 5 | gates: [\"auc >= champion.rmse\"]\n   |                          ^\n"
        ),
        (
            "gates: [\"log_loss >= 0.2\"]\n",
            "s.yaml:5:19: warning: log_loss is better when lower, so 'log_loss >= 0.2' lets worse models through and stops better ones; did you mean <=?\n 5 | gates: [\"log_loss >= 0.2\"]\n   |                   ^\n"
        ),
        (
            "params: {epochs: 0}\n",
            "s.yaml:5:18: error: parameter 'epochs' is 0, outside its range 1...10000\n 5 | params: {epochs: 0}\n   |                  ^\n"
        ),
        (
            "params: {epoch: 3}\n",
            "s.yaml:5:10: error: unknown parameter 'epoch' for the built-in 'attrition' model (did you mean 'epochs'?); known: epochs, batch_size, learning_rate, hidden_layers, l2, validation_split, early_stopping_patience, seed (see `retrain models`)\n 5 | params: {epoch: 3}\n   |          ^\n"
        ),
        (
            "params: {batch_size: 1.5}\n",
            "s.yaml:5:22: error: parameter 'batch_size' must be an integer, found the number 1.5\n 5 | params: {batch_size: 1.5}\n   |                      ^\n"
        ),
        (
            "features: [left_company]\n",
            "s.yaml:5:12: error: 'left_company' is the target column; it cannot also be a feature, so remove it from 'features'\n 5 | features: [left_company]\n   |            ^\n"
        ),
        (
            "slurm: {partition: cpu}\n",
            "s.yaml:5:8: error: 'slurm' settings apply only to Slurm runs; set `executor: slurm` (here or as retrain.yaml's default) or remove them\n 5 | slurm: {partition: cpu}\n   |        ^\n"
        ),
        (
            "trigger: \"\"\n",
            "s.yaml:5:10: error: 'trigger' is empty; set any new value (e.g. today's date) to run once on the next reconcile, or remove it\n 5 | trigger: \"\"\n   |          ^\n"
        ),
        (
            "notify: {on: [stale], stale_after: 0s}\n",
            "s.yaml:5:36: error: 'notify.stale_after': a duration must be longer than zero\n 5 | notify: {on: [stale], stale_after: 0s}\n   |                                    ^\n"
        ),
    ])
    func oneMistakeGivesOneExactDiagnostic(extra: String, expected: String) {
        let (spec, diagnostics) = rendered(base + extra)
        #expect(diagnostics == expected)
        if expected.contains("error:") { #expect(spec == nil) } else { #expect(spec != nil) }
    }

    @Test func everyProblemInAFileIsReportedInOrder() {
        let (_, text) = rendered("retries: x\nmodle: a\nstart: 2026-02-30\n")
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("s.yaml:") }.map { $0.split(separator: ":").prefix(3).joined(separator: ":") }
        #expect(lines == ["s.yaml:1:1", "s.yaml:1:10", "s.yaml:2:1", "s.yaml:3:16"])
    }

    @Test func externalTrainersTakeAnyParamsAndGateMetrics() throws {
        let source =
            "model: churn\nstart: 2026-12-01\ncommand: [python3, train.py]\nparams: {dropout: 0.1, optimizer: adamw, layers: [a, b], nested: {x: 1}}\ngates: [\"mape <= 0.2\"]\n"
        let (spec, text) = rendered(source)
        #expect(text == "")
        let s = try #require(spec)
        #expect(s.builtinModel == nil && s.command == ["python3", "train.py"])
        #expect(s.params.map(\.0) == ["dropout", "optimizer", "layers", "nested"])
    }

    @Test func externalParamsNameTheKeyAtFault() {
        let external = "model: churn\nstart: 2026-12-01\ncommand: [python3, train.py]\n"
        let (_, duplicate) = rendered(external + "params:\n  nested:\n    x: 1\n    y: 2\n    x: 3\n")
        #expect(duplicate.contains("s.yaml:8:5: error: duplicate key 'x'"))
        #expect(duplicate.contains("s.yaml:6:5: note: 'x' first defined here"))
        let (_, infinite) = rendered(external + "params: {nested: {layers: [1, .inf]}}\n")
        #expect(infinite.contains("'params.nested.layers[1]'"))
    }

    @Test func builtinNameWithCommandIsExternal() throws {
        let (spec, text) = rendered("model: attrition\nstart: 2026-12-01\ncommand: [python3, t.py]\nparams: {anything: 1}\ngates: [\"mape <= 1\"]\n")
        #expect(text == "")
        #expect(try #require(spec).builtinModel == nil)
    }

    @Test func allowlistRestrictsCommands() {
        let context = ValidationContext(allowedCommands: [["python3", "examples/trainers/sklearn_trainer.py"]])
        let ok = rendered("model: m\nstart: 2026-12-01\ncommand: [python3, examples/trainers/sklearn_trainer.py, --fast]\n", context: context)
        #expect(ok.1 == "")
        let refused = rendered("model: m\nstart: 2026-12-01\ncommand: [bash, -c, \"curl x | sh\"]\n", context: context)
        #expect(refused.1.contains("s.yaml:3:10: error: command [bash, -c, curl x | sh] is not in retrain.yaml's `allowed_commands`"))
    }

    @Test func slurmIsAllowedWhenTheRepositoryDefaultIsSlurm() {
        let (spec, text) = rendered(
            base + "slurm: {partition: cpu, cpus: 4, mem: 8G, time: \"02:00:00\"}\n", context: ValidationContext(defaultExecutor: .slurm))
        #expect(text == "")
        #expect(spec?.slurm == SlurmOptions(partition: "cpu", cpus: 4, mem: "8G", time: "02:00:00"))
    }

    @Test(arguments: ["attrition-weekly", "a", "0", "a_b-c", String(repeating: "a", count: 63)])
    func validIDs(id: String) { #expect(ScheduleLoader.isValidID(id)) }

    @Test(arguments: ["", "Attrition", "-a", "_a", "a.b", "a b", "ñ", String(repeating: "a", count: 64)])
    func invalidIDs(id: String) { #expect(!ScheduleLoader.isValidID(id)) }

    @Test func endDateAloneCoversItsDay() {
        #expect(rendered(base + "repeat: daily\nend: 2026-12-01\n").1 == "")
        #expect(rendered(base + "repeat: daily\nend: 2026-12-01 01:00\n").1.contains("is not after 'start'"))
    }
}
