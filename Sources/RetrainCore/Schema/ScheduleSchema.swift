/// The JSON Schema (draft-07) of schedule files, built from the same catalogue the validator reads,
/// for editors using yaml-language-server. The validator stays the authority: the schema cannot say
/// everything it checks (cron can fire, end after start, gate metrics per model).
public enum ScheduleSchema {
    /// The schema document.
    public static var document: JSONValue {
        let duration = JSONValue.object([
            "type": .string("string"),
            "pattern": .string("^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$"),
            "description": .string("A number with units, largest first: 30s, 10m, 1h30m, 6h, 15d."),
        ])
        let localTime = JSONValue.object([
            "type": .string("string"),
            "pattern": .string("^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$"),
        ])
        let text: JSONValue = .object(["type": .string("string"), "minLength": .int(1)])
        let textList: JSONValue = .object(["type": .string("array"), "items": text, "minItems": .int(1), "uniqueItems": .bool(true)])
        let params: [JSONValue.Member] = ModelCatalogue.parameters.map { p in
            var members: [JSONValue.Member] = [.init("description", .string(p.description)), .init("default", JSONValue(p.defaultValue))]
            switch p.kind {
            case .integer:
                members += [.init("type", .string("integer")), .init("minimum", .int(Int(p.minimum))), .init("maximum", .int(Int(p.maximum)))]
            case .number:
                members += [.init("type", .string("number")), .init("minimum", .number(p.minimum)), .init("maximum", .number(p.maximum))]
            case .integerList(let maxCount):
                members += [
                    .init("type", .string("array")), .init("maxItems", .int(maxCount)),
                    .init("items", .object(["type": .string("integer"), "minimum": .int(Int(p.minimum)), "maximum": .int(Int(p.maximum))])),
                ]
            }
            return .init(p.name, .object(members))
        }
        let events = NotifySpec.Event.allCases.map { JSONValue.string($0.rawValue) }
        let slurm = JSONValue.object([
            "type": .string("object"), "additionalProperties": .bool(false),
            "properties": .object([
                "partition": text, "account": text, "qos": text, "constraint": text,
                "cpus": .object(["type": .string("integer"), "minimum": .int(1)]),
                "gpus": .object(["type": .string("integer"), "minimum": .int(0)]),
                "mem": .object([
                    "type": .array([.string("string"), .string("integer")]), "description": .string("Memory for sbatch --mem, e.g. 8G."),
                ]),
                "time": .object([
                    "type": .array([.string("string"), .string("integer")]),
                    "description": .string("Time limit for sbatch --time, e.g. \"02:00:00\"."),
                ]),
                "gres": .object(["type": .string("string"), "description": .string("Generic resources for sbatch --gres, e.g. gpu:a100:1.")]),
                "extra_args": .object([
                    "type": .string("array"),
                    "items": .object([
                        "type": .string("string"),
                        "pattern": .string("^(" + SlurmOptions.allowedExtraArgs.joined(separator: "|") + ")(=.*)?$"),
                    ]),
                    "description": .string("More sbatch options, each --name=value: " + SlurmOptions.allowedExtraArgs.joined(separator: ", ") + "."),
                ]),
            ]),
        ])
        let gate = JSONValue.object([
            "type": .string("string"),
            "pattern": .string(
                "^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(>=|<=|>|<)\\s*(-?[0-9.]+([eE][-+]?[0-9]+)?|(champion|previous)\\.[A-Za-z_][A-Za-z0-9_]*(\\s*[-+*]\\s*[0-9.]+([eE][-+]?[0-9]+)?)?)\\s*$"
            ),
            "description": .string("METRIC OP VALUE, e.g. 'auc >= 0.80' or 'log_loss <= previous.log_loss * 1.10'."),
        ])
        let properties: [JSONValue.Member] = [
            .init(
                "version",
                .object([
                    "type": .string("integer"), "const": .int(ScheduleDecoder.supportedVersion),
                    "description": .string("Format version; absent means 1."),
                ])),
            .init(
                "model",
                .object([
                    "type": .string("string"),
                    "description": .string("A built-in model (\(ModelCatalogue.names.joined(separator: ", "))), or any name with `command`."),
                    "examples": .array(ModelCatalogue.names.map(JSONValue.string)),
                ])),
            .init("description", .object(["type": .string("string")])),
            .init(
                "enabled",
                .object(["type": .string("boolean"), "default": .bool(true), "description": .string("false pauses the schedule; history is kept.")])),
            .init(
                "start",
                .object(["allOf": .array([localTime]), "description": .string("First run, local time in `timezone`; a date alone means 00:00.")])),
            .init(
                "timezone",
                .object(["type": .string("string"), "default": .string("UTC"), "description": .string("IANA time zone, e.g. Europe/Madrid.")])),
            .init(
                "repeat",
                .object([
                    "type": .string("string"), "default": .string("once"),
                    "description": .string("once, daily, weekly, monthly, a 5-field cron expression, or @hourly/@daily/@weekly/@monthly."),
                    "examples": .array(["once", "daily", "weekly", "monthly", "30 2 * * 1", "@daily"].map(JSONValue.string)),
                ])),
            .init("end", .object(["allOf": .array([localTime]), "description": .string("No run after this; a date alone covers that whole day.")])),
            .init("catchup", .object(["enum": .array(ScheduleSpec.Catchup.allCases.map { .string($0.rawValue) }), "default": .string("latest")])),
            .init("deadline", duration),
            .init(
                "on_data_change",
                .object([
                    "type": .string("boolean"), "default": .bool(false),
                    "description": .string(
                        "Also run when the data file's content changes (at most once per repeat interval, or per hour for once/cron)."),
                ])),
            .init(
                "keep_runs",
                .object([
                    "type": .string("integer"), "minimum": .int(1), "maximum": .int(100_000),
                    "description": .string(
                        "Run and model folders kept: older runs' folders are removed, never the champion's, the one before it, or a run still going."),
                ])),
            .init("data", .object(["type": .string("string"), "description": .string("CSV with a header row, relative to the repository root.")])),
            .init("target", .object(["type": .string("string"), "description": .string("The column to predict.")])),
            .init("features", textList),
            .init(
                "params",
                .object([
                    "type": .string("object"),
                    "description": .string(
                        "Training parameters; checked against the built-in models' parameters, passed through unchecked to external trainers."),
                    "properties": .object(params),
                ])),
            .init(
                "command",
                .object([
                    "allOf": .array([textList]), "description": .string("An external trainer's argv, run without a shell in the repository root."),
                ])),
            .init("timeout", duration),
            .init("retries", .object(["type": .string("integer"), "minimum": .int(0), "maximum": .int(100), "default": .int(0)])),
            .init("retry_delay", duration),
            .init("executor", .object(["enum": .array(ScheduleSpec.Executor.allCases.map { .string($0.rawValue) })])),
            .init("slurm", slurm),
            .init("gates", .object(["type": .string("array"), "items": gate])),
            .init(
                "notify",
                .object([
                    "type": .string("object"), "additionalProperties": .bool(false),
                    "properties": .object([
                        "email": .object([
                            "oneOf": .array([
                                .object(["type": .string("string")]),
                                .object(["type": .string("array"), "items": .object(["type": .string("string")])]),
                            ])
                        ]),
                        "on": .object(["type": .string("array"), "items": .object(["enum": .array(events)])]),
                        "stale_after": duration,
                        "webhook": .object(["type": .string("string")]),
                    ]),
                ])),
            .init(
                "labels",
                .object([
                    "type": .string("object"),
                    "additionalProperties": .object(["type": .array([.string("string"), .string("number"), .string("boolean")])]),
                ])),
            .init(
                "trigger",
                .object([
                    "type": .array([.string("string"), .string("integer")]),
                    "description": .string("Change it to any new value: one run on the next reconcile."),
                ])),
        ]
        return .object([
            "$schema": .string("http://json-schema.org/draft-07/schema#"),
            "$id": .string("https://retrain.dev/schema/schedule-v1.json"),
            "title": .string("retrain schedule (format version 1)"),
            "description": .string("One schedule per file, schedules/<id>.yaml. `retrain validate` is the authority; this schema helps editors."),
            "type": .string("object"),
            "additionalProperties": .bool(false),
            "required": .array([.string("model"), .string("start")]),
            "properties": .object(properties),
        ])
    }
}
