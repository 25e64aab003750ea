/// Renderings of a `ScheduleDiff`.
public enum DiffRenderer {
    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    static func headline(_ d: ScheduleDiff) -> String {
        "\(d.added.count) new, \(d.changed.count) changed, \(d.removed.count) deleted schedule\(d.added.count + d.changed.count + d.removed.count == 1 ? "" : "s")"
    }

    static func trainer(_ spec: ScheduleSpec) -> String {
        spec.builtinModel != nil ? "\(spec.model) (built-in)" : "\(spec.model) (external: \(spec.command?.first ?? "?"))"
    }

    /// One line per schedule: `+` new, `~` changed (one line per field), `-` deleted.
    public static func text(_ d: ScheduleDiff) -> String {
        var out = "against \(d.base): \(headline(d))\n"
        for (spec, next) in d.added {
            out +=
                "+ \(spec.id)  \(trainer(spec)), \(spec.repeatRule) in \(spec.timezone)\(spec.enabled ? "" : ", paused"); next \(next.first?.description ?? "none")\n"
        }
        for change in d.changed {
            for f in change.fields { out += "~ \(change.id)  \(f.field): \(f.before ?? "(absent)") → \(f.after ?? "(absent)")\n" }
            if change.timingChanged {
                out +=
                    "~ \(change.id)  next slots: \(change.nextBefore.first?.description ?? "none") → \(change.nextAfter.first?.description ?? "none") (anchored anew when first reconciled)\n"
            }
        }
        for id in d.removed { out += "- \(id)  deleted; its history stays in the state file until `--prune`\n" }
        return out
    }

    /// A pull-request comment.
    public static func markdown(_ d: ScheduleDiff) -> String {
        var out = "### retrain plan against `\(d.base)`\n\n"
        if d.isEmpty {
            out += "This change adds, changes and deletes no schedules.\n"
            return out
        }
        out += "\(headline(d)).\n"
        if !d.added.isEmpty {
            out += "\n**New**\n\n| schedule | trainer | repeat | next slots (UTC) |\n|---|---|---|---|\n"
            for (spec, next) in d.added {
                let when = spec.enabled ? next.map(\.description).joined(separator: ", ") : "paused (`enabled: false`)"
                out += "| `\(spec.id)` | \(trainer(spec)) | `\(spec.repeatRule)` in \(spec.timezone) | \(when.isEmpty ? "none" : when) |\n"
            }
        }
        if !d.changed.isEmpty {
            out += "\n**Changed**\n"
            for change in d.changed {
                out += "\n`\(change.id)`\n\n| field | before | after |\n|---|---|---|\n"
                for f in change.fields {
                    out += "| `\(f.field)` | \(f.before.map { "`\($0)`" } ?? "—") | \(f.after.map { "`\($0)`" } ?? "—") |\n"
                }
                if change.timingChanged {
                    let before = change.nextBefore.map(\.description).joined(separator: ", ")
                    let after = change.nextAfter.map(\.description).joined(separator: ", ")
                    out +=
                        "\nWhen it runs changed: next slots were \(before.isEmpty ? "none" : before); now \(after.isEmpty ? "none" : after). It is anchored anew at its first reconcile, so no past slot is replayed.\n"
                }
            }
        }
        if !d.removed.isEmpty {
            out += "\n**Deleted**\n\n"
            for id in d.removed { out += "- `\(id)`: its runs stay in the state file, marked orphaned, until `retrain reconcile --prune`.\n" }
        }
        if !d.invalidAtBase.isEmpty {
            out +=
                "\n(\(plural(d.invalidAtBase.count, "schedule")) did not validate at `\(d.base)`: \(d.invalidAtBase.map { "`\($0)`" }.joined(separator: ", ")); compared as new.)\n"
        }
        return out
    }

    /// The diff as JSON.
    public static func json(_ d: ScheduleDiff) -> JSONValue {
        .object([
            "base": .string(d.base),
            "added": .array(
                d.added.map { spec, next in
                    .object([
                        "id": .string(spec.id), "model": .string(spec.model), "repeat": .string(spec.repeatRule.description),
                        "timezone": .string(spec.timezone), "enabled": .bool(spec.enabled), "next": .array(next.map { .string($0.description) }),
                    ])
                }),
            "changed": .array(
                d.changed.map { c in
                    .object([
                        "id": .string(c.id), "timing_changed": .bool(c.timingChanged),
                        "fields": .array(
                            c.fields.map { f in
                                .object([
                                    "field": .string(f.field), "before": f.before.map(JSONValue.string) ?? .null,
                                    "after": f.after.map(JSONValue.string) ?? .null,
                                ])
                            }),
                        "next_before": .array(c.nextBefore.map { .string($0.description) }),
                        "next_after": .array(c.nextAfter.map { .string($0.description) }),
                    ])
                }),
            "removed": .array(d.removed.map(JSONValue.string)),
            "invalid_at_base": .array(d.invalidAtBase.map(JSONValue.string)),
        ])
    }
}
