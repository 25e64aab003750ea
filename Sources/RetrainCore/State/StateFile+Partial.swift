/// A state read in part: a command about one schedule (`run ID`) decodes that schedule's entry and
/// leaves the others as the text they are in the file, which the save copies unchanged. So a run of
/// one schedule among 10,000 decodes one entry and writes one, whatever the others hold.
extension StateFile {
    /// The entries a partial read did not decode, as the file's text (`StateStore.update(only:)`).
    /// Nil for a state read whole.
    public final class Unread: Sendable, Equatable {
        /// The file's text.
        let bytes: [UInt8]
        /// Every schedule's member in it, in id order (the order retrain writes them in).
        let members: [JSONReader.Member]
        /// The ids whose entries were decoded into the state: the state's own, so one it no
        /// longer has was removed and is not copied back.
        let decoded: Set<String>

        init(bytes: [UInt8], members: [JSONReader.Member], decoded: Set<String>) {
            self.bytes = bytes
            self.members = members
            self.decoded = decoded
        }

        /// Two partial reads are the same only when they are one read.
        public static func == (a: Unread, b: Unread) -> Bool { a === b }
    }

    /// Whether this holds only some schedules' entries (the others are in `unread`).
    public var isPartial: Bool { unread != nil }

    /// The state read in part from `bytes`: the entries of `ids` decoded, the others listed. Nil
    /// when `bytes` is not a whole version-2 state whose schedules are in id order and each once,
    /// or an entry of `ids` does not decode: read it whole then, which says what is wrong.
    static func partial(_ bytes: [UInt8], decoding ids: Set<String>) -> StateFile? {
        struct Top: Decodable {
            var version: Int
            var outbox: [String]?
        }
        return bytes.withUnsafeBufferPointer { b -> StateFile? in
            guard let (top, members) = try? JSONReader.decode(Top.self, from: b, listing: "schedules", shallow: true),
                top.version == StateFile.currentVersion,
                zip(members, members.dropFirst()).allSatisfy({ codePointLess($0.key, $1.key) })
            else { return nil }
            var state = StateFile()
            state.outbox = top.outbox ?? []
            for member in members where ids.contains(member.key) {
                guard let entry = try? JSONReader.decode(ScheduleState.self, from: UnsafeBufferPointer(rebasing: b[member.value])) else { return nil }
                state.schedules[member.key] = entry
            }
            state.unread = Unread(bytes: bytes, members: members, decoded: ids)
            return state
        }
    }

    /// The file's text for a partial state: its entries written, the unread ones copied from the file
    /// they were read from, in id order, as `jsonText` writes a whole state. With the members of the
    /// text written, so it can be read in part again without a scan.
    func splicedText() -> (bytes: [UInt8], members: [JSONReader.Member]) {
        let unread = unread!
        var out: [UInt8] = []
        out.reserveCapacity(unread.bytes.count + schedules.count * 1024 + 256)
        out.append(UInt8(ascii: "{"))
        if !outbox.isEmpty {
            var text = "\"outbox\":"
            JSONObjectWriter.strings(outbox, to: &text)
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "\"schedules\":{".utf8)
        var members: [JSONReader.Member] = []
        members.reserveCapacity(unread.members.count + schedules.count)
        func comma() { if !members.isEmpty { out.append(UInt8(ascii: ",")) } }
        func copy(_ member: JSONReader.Member) {
            comma()
            let start = out.count
            out.append(contentsOf: unread.bytes[member.text])
            let shift = start - member.text.lowerBound
            members.append(
                JSONReader.Member(
                    key: member.key, text: start..<out.count, value: member.value.lowerBound + shift..<member.value.upperBound + shift,
                    isObject: member.isObject))
        }
        func write(_ id: String) {
            comma()
            var key = ""
            JSONValue.writeString(id, to: &key)
            key += ":"
            var entry = ""
            schedules[id]!.writeJSON(to: &entry)
            let start = out.count
            out.append(contentsOf: key.utf8)
            let value = out.count
            out.append(contentsOf: entry.utf8)
            members.append(JSONReader.Member(key: id, text: start..<out.count, value: value..<out.count, isObject: true))
        }
        let own = schedules.keys.sorted(by: codePointLess)
        var (i, j) = (0, 0)
        while i < unread.members.count || j < own.count {
            if j < own.count, i == unread.members.count || !codePointLess(unread.members[i].key, own[j]) {
                if i < unread.members.count, unread.members[i].key == own[j] { i += 1 }
                write(own[j])
                j += 1
            } else {
                // An entry decoded and then removed from the state (pruned) is not copied back.
                if !unread.decoded.contains(unread.members[i].key) { copy(unread.members[i]) }
                i += 1
            }
        }
        out.append(contentsOf: "},\"version\":\(version)}\n".utf8)
        return (out, members)
    }
}
