import Glibc

/// The overview files after one schedule's row changed (`retrain run ID`), made from the files the
/// last write left: that row's line replaced (or added) in `overview.json`, in index.html's data and
/// in each family of metrics.prom; the counts made again from index.html's data lines; summary.md's
/// rows decoded only as far as it shows them. The other rows are copied as bytes, never decoded or
/// rendered, so a run of one schedule among 10,000 costs what copying the files costs.
///
/// The files must agree with each other row for row (one write made them): anything else (a file
/// missing, cut, written by another version, an id that needs escaping) makes `init` fail, and the
/// writer then reads every row (`ReportWriter.writeOne`). What comes out is byte for byte what a
/// whole write of the same rows writes (`ReportWriterTests`).
struct OverviewSplice {
    /// overview.json's text, and each row's line in it (without its comma).
    private let overview: [UInt8]
    private let rowLines: [Range<Int>]
    /// index.html's text, and each data line in it (without its comma).
    private let page: [UInt8]
    private let dataLines: [Range<Int>]
    /// metrics.prom's text.
    private let prometheus: [UInt8]
    /// What each data line says, in id order.
    private let rows: [DataRow]

    /// The files as read, by name.
    var read: [String: [UInt8]] { ["overview.json": overview, "index.html": page, "metrics.prom": prometheus] }

    /// What the counts and the summary's order need from a data line.
    struct DataRow {
        var id: String
        var status: ScheduleOverview.Status
        var stale: Bool
        var model: String?
    }

    /// The last write's files in `folder`; nil unless they are whole and agree row for row.
    init?(folder: String) {
        guard case .success(let overview) = SourceFile.read("\(folder)/overview.json", limit: Int.max),
            case .success(let page) = SourceFile.read("\(folder)/index.html", limit: Int.max),
            case .success(let prometheus) = SourceFile.read("\(folder)/metrics.prom", limit: Int.max),
            let rowLines = OverviewFile.lineRanges(overview), let dataLines = Self.dataLines(page), rowLines.count == dataLines.count
        else { return nil }
        var rows: [DataRow] = []
        rows.reserveCapacity(dataLines.count)
        let marker = Array("]},\"id\":\"".utf8)
        for (row, data) in zip(rowLines, dataLines) {
            // The row's id in overview.json (after its history's trend) is the data line's.
            guard let parsed = Self.parse(page[data]), let at = Self.find(marker, in: overview, within: row) else { return nil }
            let id = at + marker.count
            let length = parsed.id.utf8.count
            guard id + length < row.upperBound, overview[id..<id + length].elementsEqual(parsed.id.utf8), overview[id + length] == UInt8(ascii: "\""),
                rows.last.map({ codePointLess($0.id, parsed.id) }) ?? true
            else { return nil }
            rows.append(parsed)
        }
        (self.overview, self.rowLines, self.page, self.dataLines, self.prometheus, self.rows) = (
            overview, rowLines, page, dataLines, prometheus, rows
        )
    }

    /// The four overview files with `row` in place of the row of its id (or added in id order):
    /// (file name, text). Nil when `row`'s id needs escaping, or a row shown in the summary does not
    /// read back.
    func files(with row: OverviewRow) -> [(String, [UInt8])]? {
        guard Self.isPlain(row.id) else { return nil }
        let at = rows.firstIndex { !codePointLess($0.id, row.id) } ?? rows.endIndex
        let replaces = at < rows.count && rows[at].id == row.id
        let after = replaces ? at + 1 : at

        var line = ""
        row.writeJSON(to: &line)
        var json: [UInt8] = []
        json.reserveCapacity(overview.count + line.utf8.count + 64)
        json.append(contentsOf: OverviewFile.head.utf8)
        join(overview, rowLines[..<at], then: Array(line.utf8), rowLines[after...], into: &json)
        json.append(contentsOf: OverviewFile.tail.utf8)

        var dataLine = UTF8Buffer(capacity: 256)
        Dashboard.line(row, into: &dataLine)
        var data: [UInt8] = [UInt8(ascii: "[")]
        data.reserveCapacity(page.count)
        join(page, dataLines[..<at], then: dataLine.bytes, dataLines[after...], into: &data)
        data.append(contentsOf: "\n]".utf8)

        var all = rows
        let mine = DataRow(id: row.id, status: row.status, stale: row.stale, model: row.model)
        if replaces { all[at] = mine } else { all.insert(mine, at: at) }
        var tally = OverviewTally()
        for r in all { tally.add(status: r.status, stale: r.stale, model: r.model) }
        let ordered = all.indices.sorted { a, b in
            let (x, y) = (
                OverviewRow.attentionRank(all[a].status, stale: all[a].stale), OverviewRow.attentionRank(all[b].status, stale: all[b].stale)
            )
            return x != y ? x < y : codePointLess(all[a].id, all[b].id)
        }
        // A row of the file stands at its index in `all`, shifted by one past an added row.
        struct Unreadable: Error {}
        let summary = try? SummaryReport.markdown(tally) { k throws(Unreadable) -> OverviewRow in
            let index = ordered[k]
            if index == at { return row }
            let line = rowLines[index < at || replaces ? index : index - 1]
            guard
                let read = overview.withUnsafeBufferPointer({
                    try? JSONReader.decode(OverviewRow.self, from: UnsafeBufferPointer(rebasing: $0[line]))
                })
            else { throw Unreadable() }
            return read
        }
        // A pass part an older retrain left in metrics.prom is dropped: passes write reconcile.prom.
        let families = PrometheusReport.split(prometheus).families
        guard let summary,
            let metrics = PrometheusReport.splice(
                Array(families), id: row.id, with: PrometheusReport.bytes(ReportSet(now: Instant(seconds: 0), rows: [row])).bytes)
        else { return nil }
        return [
            ("overview.json", json), ("summary.md", Array(summary.utf8)), ("metrics.prom", metrics),
            ("index.html", Array(Dashboard.html(tally, data: String(decoding: data, as: UTF8.self)).utf8)),
        ]
    }

    /// `lines` of `text` before, `line`, then `rest`: each on a line of its own after a line feed,
    /// with a comma after all but the last (as `OverviewFile` and `Dashboard.data` write them).
    private func join(_ text: [UInt8], _ lines: ArraySlice<Range<Int>>, then line: [UInt8], _ rest: ArraySlice<Range<Int>>, into out: inout [UInt8]) {
        var first = true
        func next() {
            out.append(contentsOf: first ? [0x0A] : [0x2C, 0x0A])
            first = false
        }
        for range in lines {
            next()
            out.append(contentsOf: text[range])
        }
        next()
        out.append(contentsOf: line)
        for range in rest {
            next()
            out.append(contentsOf: text[range])
        }
    }

    /// The data lines of index.html (`Dashboard.data` between `Dashboard.dataOpening` and
    /// `dataClosing`), each without its comma; nil when the page has none.
    static func dataLines(_ page: [UInt8]) -> [Range<Int>]? {
        let opening = Array(Dashboard.dataOpening.description.utf8) + Array("[".utf8)
        let closing = Array("\n]".utf8) + Array(Dashboard.dataClosing.description.utf8)
        guard let start = find(opening, in: page, within: 0..<page.count).map({ $0 + opening.count }),
            let end = find(closing, in: page, within: start..<page.count)
        else { return nil }
        var lines: [Range<Int>] = []
        var at = start
        while at < end {
            guard page[at] == 0x0A else { return nil }
            let from = at + 1
            let stop = page.withUnsafeBufferPointer { ByteSearch.index(of: 0x0A, in: $0, from: from, to: end) }
            lines.append(from..<(page[stop - 1] == 0x2C ? stop - 1 : stop))
            at = stop
        }
        return lines
    }

    /// `["id","status",0|1,model,…` → what a data line says.
    static func parse(_ line: ArraySlice<UInt8>) -> DataRow? {
        var at = line.startIndex
        func expect(_ text: StaticString) -> Bool {
            let bytes = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard line[at...].starts(with: bytes) else { return false }
            at += bytes.count
            return true
        }
        func plain() -> String? {
            let from = at
            while at < line.endIndex, line[at] != UInt8(ascii: "\"") {
                guard line[at] != UInt8(ascii: "\\") else { return nil }
                at += 1
            }
            return at < line.endIndex ? String(decoding: line[from..<at], as: UTF8.self) : nil
        }
        guard expect("[\""), let id = plain(), isPlain(id), expect("\",\""), let name = plain(), let status = ScheduleOverview.Status(rawValue: name),
            expect("\",")
        else { return nil }
        let stale: Bool
        if expect("1,") { stale = true } else if expect("0,") { stale = false } else { return nil }
        if expect("null,") { return DataRow(id: id, status: status, stale: stale, model: nil) }
        let from = at
        guard expect("\"") else { return nil }
        var escaped = false
        while at < line.endIndex, line[at] != UInt8(ascii: "\"") {
            if line[at] == UInt8(ascii: "\\") {
                escaped = true
                at += 1
            }
            at += 1
        }
        guard at < line.endIndex else { return nil }
        at += 1
        let model: String?
        if escaped {
            model = line.withUnsafeBufferPointer { b in
                try? JSONReader.decode(String.self, from: UnsafeBufferPointer(rebasing: b[(from - line.startIndex)..<(at - line.startIndex)]))
            }
        } else {
            model = String(decoding: line[(from + 1)..<(at - 1)], as: UTF8.self)
        }
        guard let model, expect(",") else { return nil }
        return DataRow(id: id, status: status, stale: stale, model: model)
    }

    /// Whether `id` is written the same in every file (JSON, a script's JSON, a Prometheus label):
    /// a schedule id as the schedule format allows it.
    static func isPlain(_ id: String) -> Bool {
        !id.isEmpty
            && id.utf8.allSatisfy { byte in
                (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    /// Where `needle` first stands in `text` within `range`.
    static func find(_ needle: [UInt8], in text: [UInt8], within range: Range<Int>) -> Int? {
        text.withUnsafeBufferPointer { ByteSearch.index(of: needle, in: $0, within: range) }
    }
}

extension PrometheusReport {
    /// `old` (a whole file) with the samples of schedule `id` replaced, in every family, by those of
    /// `one` (the file of a single row, whose families are the same, in the same order): a family's
    /// samples stay in schedule order. Nil when the two do not have the same families, or a
    /// sample's schedule label is not where this file writes it.
    static func splice(_ old: [UInt8], id: String, with one: [UInt8]) -> [UInt8]? {
        guard let families = Family.all(old), let new = Family.all(one), families.map(\.name) == new.map(\.name) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(old.count + one.count)
        let target = Array(id.utf8)
        for (family, replacement) in zip(families, new) {
            out.append(contentsOf: old[family.header])
            let prefix = family.name + Array("{schedule=\"".utf8)
            var inserted = false
            // Each sample is `prefix`, the schedule id, `"`: compared with the target's id as bytes.
            let fits = old.withUnsafeBufferPointer { b in
                prefix.withUnsafeBufferPointer { p in
                    target.withUnsafeBufferPointer { t in
                        for sample in family.samples {
                            let line = b.baseAddress! + sample.lowerBound
                            let labelAt = prefix.count
                            let room = sample.count - prefix.count
                            guard room > 0, memcmp(line, p.baseAddress!, prefix.count) == 0,
                                let close = memchr(line + labelAt, 0x22, room).map({ UnsafeRawPointer($0) - UnsafeRawPointer(line) - labelAt })
                            else { return false }
                            let order = memcmp(line + labelAt, t.baseAddress!, min(close, t.count))
                            if order == 0 && close == t.count { continue }  // the target's own sample: replaced
                            if !inserted, order > 0 || (order == 0 && close > t.count) {
                                for s in replacement.samples { out.append(contentsOf: one[s]) }
                                inserted = true
                            }
                            out.append(contentsOf: UnsafeBufferPointer(start: line, count: sample.count))
                        }
                        return true
                    }
                }
            }
            guard fits else { return nil }
            if !inserted { for s in replacement.samples { out.append(contentsOf: one[s]) } }
        }
        return out
    }

    /// A metric family in the file: its `# HELP` and `# TYPE` lines, then its samples (each range
    /// with its line feed).
    struct Family {
        var name: [UInt8]
        var header: Range<Int>
        var samples: [Range<Int>]

        static func all(_ text: [UInt8]) -> [Family]? {
            var families: [Family] = []
            let help = Array("# HELP ".utf8)
            let fits = text.withUnsafeBufferPointer { b -> Bool in
                guard let base = b.baseAddress else { return true }
                func lineEnd(_ at: Int) -> Int { min(ByteSearch.index(of: 0x0A, in: b, from: at, to: b.count) + 1, b.count) }
                var at = 0
                while at < b.count {
                    let end = lineEnd(at)
                    if b[at] == UInt8(ascii: "#") {
                        // `# HELP name …`, then the `# TYPE` line.
                        guard end - at > help.count, memcmp(base + at, help, help.count) == 0, end < b.count else { return false }
                        let name = at + help.count
                        let nameEnd = ByteSearch.index(of: 0x20, in: b, from: name, to: end)
                        let typeEnd = lineEnd(end)
                        families.append(Family(name: Array(b[name..<nameEnd]), header: at..<typeEnd, samples: []))
                        at = typeEnd
                        continue
                    }
                    guard !families.isEmpty else { return false }
                    families[families.count - 1].samples.append(at..<end)
                    at = end
                }
                return true
            }
            guard fits else { return nil }
            return families
        }
    }
}
