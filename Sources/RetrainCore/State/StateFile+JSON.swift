/// The state file's text, written by hand in the key order `JSONEncoder` with `.sortedKeys` uses
/// (see `JSONObjectWriter`); read back by the `Decodable` conformances like any other.
extension StateFile {
    /// Compact JSON and a final newline.
    public func jsonText() -> String {
        jsonText(reusing: nil).text
    }

    /// Each schedule's entry as the state file holds it, with the entries they were made from.
    struct EntryTexts: Sendable {
        var entries: [String: ScheduleState]
        var texts: [String: String]
    }

    /// The text, with the text of each entry equal to the one `known` has taken from there instead
    /// of written again (a pass that ends one run of 10,000 schedules changes one entry), and the
    /// entries' texts as written.
    func jsonText(reusing known: EntryTexts?) -> (text: String, entries: EntryTexts) {
        var out = "{"
        out.reserveCapacity(schedules.count * 600 + 64)
        if !outbox.isEmpty {
            out += "\"outbox\":"
            JSONObjectWriter.strings(outbox, to: &out)
            out += ","
        }
        out += "\"schedules\":{"
        var texts: [String: String] = [:]
        texts.reserveCapacity(schedules.count)
        for (i, id) in schedules.keys.sorted(by: codePointLess).enumerated() {
            if i > 0 { out += "," }
            JSONValue.writeString(id, to: &out)
            out += ":"
            let entry = schedules[id]!
            let text: String
            if let known, let same = known.texts[id], known.entries[id] == entry {
                text = same
            } else {
                var written = ""
                entry.writeJSON(to: &written)
                text = written
            }
            out += text
            texts[id] = text
        }
        return (out + "},\"version\":\(version)}\n", EntryTexts(entries: schedules, texts: texts))
    }
}

extension ScheduleState {
    /// As `encode(to:)` writes it: fields at their defaults left out.
    func writeJSON(to out: inout String) {
        var o = JSONObjectWriter()
        if let run = activeRun {
            o.key("active_run")
            run.writeJSON(to: &o.out)
        }
        o.string("anchor", anchor.description)
        if let c = champion {
            o.key("champion")
            c.writeJSON(to: &o.out)
        }
        if consecutiveFailures != 0 { o.int("consecutive_failures", consecutiveFailures) }
        o.string("data_seen", dataSeen?.text)
        o.string("last_data_run", lastDataRun?.description)
        if let run = lastRun {
            o.key("last_run")
            run.writeJSON(to: &o.out)
        }
        o.string("last_slot", lastSlot?.description)
        if lastTrained != champion, let t = lastTrained {
            o.key("last_trained")
            t.writeJSON(to: &o.out)
        }
        if orphaned {
            o.key("orphaned")
            o.out += "true"
        }
        if let p = pause {
            o.key("paused")
            var inner = JSONObjectWriter()
            inner.string("at", p.at.description)
            inner.string("by", p.by)
            inner.string("reason", p.reason)
            inner.end(to: &o.out)
        }
        if let r = retry {
            o.key("retry")
            var inner = JSONObjectWriter()
            inner.int("attempt", r.attempt)
            inner.string("id", r.id)
            inner.string("not_before", r.notBefore.description)
            inner.string("reason", r.reason)
            inner.string("slot", r.slot.description)
            inner.end(to: &o.out)
        }
        if !runs.isEmpty {
            o.key("runs")
            var inner = JSONObjectWriter()
            for status in runs.keys.sorted(by: codePointLess) { inner.int(status, runs[status]) }
            inner.end(to: &o.out)
        }
        o.string("source_hash", sourceHash)
        o.string("spec_hash", specHash)
        o.string("stale_notice_for", staleNoticeFor?.description)
        o.string("timing_hash", timingHash)
        o.string("trigger", trigger)
        o.end(to: &out)
    }
}

extension ActiveRun {
    func writeJSON(to out: inout String) {
        var o = JSONObjectWriter()
        o.int("attempt", attempt)
        o.string("executor", executor)
        o.string("folder", folder)
        o.string("host", host)
        o.string("id", id)
        o.int("pid", pid.map(Int.init))
        o.string("slot", slot.description)
        o.string("slurm_job", slurmJob)
        o.string("started_at", startedAt.description)
        o.end(to: &out)
    }
}

extension RunBrief {
    func writeJSON(to out: inout String) {
        var o = JSONObjectWriter()
        o.string("at", at.description)
        o.string("id", id)
        o.string("reason", reason)
        o.string("status", status.rawValue)
        o.end(to: &out)
    }
}

extension RunPointer {
    func writeJSON(to out: inout String) {
        var object = JSONObjectWriter()
        if let dataSHA256 { object.string("data_sha256", dataSHA256) }
        object.string("finished_at", finishedAt.description)
        object.string("id", id)
        object.key("metrics")
        var inner = JSONObjectWriter()
        for name in metrics.keys.sorted(by: codePointLess) { inner.number(name, metrics[name]) }
        inner.end(to: &object.out)
        object.string("status", status.rawValue)
        object.end(to: &out)
    }
}
