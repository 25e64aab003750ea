import Crypto

extension ScheduleSpec {
    /// The spec as JSON with every default applied and keys in code-point order: equal specs give
    /// equal text however they were written (flow or block style, quoting, key order, comments).
    public var canonicalJSON: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func texts(_ values: [String]?) -> JSONValue { values.map { .array($0.map(JSONValue.string)) } ?? .null }
        func duration(_ value: TimeSpan?) -> JSONValue { text(value?.description) }
        func int(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        var notifyJSON: JSONValue = .null
        if let n = notify {
            notifyJSON = .object([
                .init("email", texts(n.email)), .init("on", texts(n.on.map(\.rawValue))),
                .init("stale_after", duration(n.staleAfter)), .init("webhook", text(n.webhook)),
            ])
        }
        var slurmJSON: JSONValue = .null
        if let s = slurm {
            // `gres` came later: present only when given, so that earlier specs keep their hash.
            slurmJSON = .object(
                [
                    .init("account", text(s.account)), .init("constraint", text(s.constraint)), .init("cpus", int(s.cpus)),
                    .init("extra_args", texts(s.extraArgs)), .init("gpus", int(s.gpus)),
                ] + (s.gres.map { [JSONValue.Member("gres", .string($0))] } ?? []) + [
                    .init("mem", text(s.mem)), .init("partition", text(s.partition)), .init("qos", text(s.qos)), .init("time", text(s.time)),
                ])
        }
        let sortedParams = params.sorted { codePointLess($0.0, $1.0) }.map { JSONValue.Member($0.0, JSONValue($0.1)) }
        var members: [JSONValue.Member] = [
            .init("catchup", .string(catchup.rawValue)),
            .init("command", texts(command)),
            .init("data", text(data)),
            .init("deadline", duration(deadline)),
            .init("description", text(description)),
            .init("enabled", .bool(enabled)),
            .init("end", text(end?.description)),
            .init("executor", text(executor?.rawValue)),
            .init("features", texts(features)),
            .init("gates", texts(gates.map(\.source))),
            .init("labels", .object(labels.map { JSONValue.Member($0.0, .string($0.1)) })),
            .init("model", .string(model)),
            .init("notify", notifyJSON),
            .init("params", .object(sortedParams)),
            .init("repeat", .string(repeatRule.description)),
            .init("retries", .int(retries)),
            .init("retry_delay", .string(retryDelay.description)),
            .init("slurm", slurmJSON),
            .init("start", .string(startFullForm)),
            .init("target", text(target)),
            .init("timeout", .string(timeout.description)),
            .init("timezone", .string(timezone)),
            .init("trigger", text(trigger)),
            .init("version", .int(version)),
        ]
        // Keys added after the first release enter only when set, so the hashes of schedules that
        // do not use them stay as they were (no spurious spec change on upgrade).
        if let keepRuns { members.append(.init("keep_runs", .int(keepRuns))) }
        if onDataChange { members.append(.init("on_data_change", .bool(true))) }
        members.sort { codePointLess($0.key, $1.key) }
        return .object(members)
    }

    /// `start` always with its time, so `2026-12-01` and `2026-12-01 00:00` hash alike.
    private var startFullForm: String {
        var full = start
        full.dateOnly = false
        return full.description
    }

    /// SHA-256 (hex) of the canonical JSON without `trigger`: a trigger change asks for a run,
    /// it does not change the schedule.
    public var specHash: String {
        if let keptSpecHash { return keptSpecHash }
        guard case .object(let members) = canonicalJSON else { return "" }
        return sha256Hex(JSONValue.object(members.filter { $0.key != "trigger" }).compact)
    }

    /// SHA-256 (hex) of what decides when slots fall: start, timezone, repeat, end, and enabled
    /// (resuming a paused schedule must not replay the slots it missed while paused).
    public var timingHash: String {
        sha256Hex(
            JSONValue.object([
                "enabled": .bool(enabled), "end": end.map { .string($0.description) } ?? .null,
                "repeat": .string(repeatRule.description), "start": .string(startFullForm), "timezone": .string(timezone),
            ]).compact)
    }
}

/// Lower-case hex of a digest, written into the string's storage directly (every schedule file's
/// hash goes through here on every command).
func hex(_ digest: some Digest) -> String {
    digest.withUnsafeBytes { bytes in
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let digits: StaticString = "0123456789abcdef"
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = digits.utf8Start[Int(byte >> 4)]
                out[2 * i + 1] = digits.utf8Start[Int(byte & 15)]
            }
            return bytes.count * 2
        }
    }
}

/// Lower-case hex SHA-256 of UTF-8 text.
public func sha256Hex(_ text: String) -> String {
    text.withUTF8Bytes { hex(SHA256.hash(data: UnsafeRawBufferPointer($0))) }
}
