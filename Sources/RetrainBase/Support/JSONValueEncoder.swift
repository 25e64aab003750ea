/// Encodes an `Encodable` into a `JSONValue`: the command line's JSON payloads are `Encodable`
/// models, and their text is `JSONValue.pretty`'s, so it does not depend on Foundation's printer
/// (which writes `"key" : value`). Keys stay in the order the type encodes them (a synthesized
/// conformance: its `CodingKeys`' order), and an absent optional is written `null` rather than left
/// out, so a payload always has the same keys.
public enum JSONValueEncoder {
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Slot()
        try root.put(value, codingPath: [])
        return root.value
    }
}

/// One value being built: a leaf, or an object or array whose members are built in place (the
/// arrays grow in this object, so a list of 10,000 rows is not copied per row).
private final class Slot {
    enum Kind { case leaf, object, array }

    var kind = Kind.leaf
    var leaf = JSONValue.null
    var members: [(key: String, slot: Slot)] = []
    var items: [Slot] = []

    var value: JSONValue {
        switch kind {
        case .leaf: leaf
        case .object: .object(members.map { JSONValue.Member($0.key, $0.slot.value) })
        case .array: .array(items.map(\.value))
        }
    }

    func set(_ value: JSONValue) {
        (kind, leaf, members, items) = (.leaf, value, [], [])
    }

    func becomeObject() {
        if kind != .object { (kind, members, items) = (.object, [], []) }
    }

    func becomeArray() {
        if kind != .array { (kind, members, items) = (.array, [], []) }
    }

    func put(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        if let json = value as? JSONValue {
            set(json)
        } else {
            try value.encode(to: SlotEncoder(slot: self, codingPath: codingPath))
        }
    }

    /// The slot of member `key`, replacing one of that name (a key encoded twice keeps its place).
    func member(_ key: String) -> Slot {
        becomeObject()
        let child = Slot()
        if let at = members.firstIndex(where: { $0.key == key }) { members[at].slot = child } else { members.append((key, child)) }
        return child
    }

    func item() -> Slot {
        becomeArray()
        let child = Slot()
        items.append(child)
        return child
    }
}

private struct SlotEncoder: Encoder, SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.becomeObject()
        return KeyedEncodingContainer(KeyedSlot<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.becomeArray()
        return UnkeyedSlot(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() throws { slot.set(.null) }
    func encode(_ value: Bool) throws { slot.set(.bool(value)) }
    func encode(_ value: String) throws { slot.set(.string(value)) }
    func encode(_ value: Double) throws { slot.set(.number(value)) }
    func encode(_ value: Float) throws { slot.set(.number(Double(value))) }
    func encode(_ value: Int) throws { slot.set(.int(value)) }
    func encode(_ value: Int8) throws { slot.set(.int(Int(value))) }
    func encode(_ value: Int16) throws { slot.set(.int(Int(value))) }
    func encode(_ value: Int32) throws { slot.set(.int(Int(value))) }
    func encode(_ value: Int64) throws { slot.set(.int(Int(value))) }
    func encode(_ value: UInt) throws { slot.set(.int(Int(clamping: value))) }
    func encode(_ value: UInt8) throws { slot.set(.int(Int(value))) }
    func encode(_ value: UInt16) throws { slot.set(.int(Int(value))) }
    func encode(_ value: UInt32) throws { slot.set(.int(Int(value))) }
    func encode(_ value: UInt64) throws { slot.set(.int(Int(clamping: value))) }
    func encode<T: Encodable>(_ value: T) throws { try slot.put(value, codingPath: codingPath) }
}

private struct KeyedSlot<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey]

    private func child(_ key: Key) -> SlotEncoder { SlotEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]) }

    mutating func encodeNil(forKey key: Key) throws { try child(key).encodeNil() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try child(key).encode(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).encode(value) }

    // An absent optional is written null: the synthesized conformances call these for optionals.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value, key) }

    private func present<T: Encodable>(_ value: T?, _ key: Key) throws {
        let encoder = child(key)
        if let value { try encoder.encode(value) } else { try encoder.encodeNil() }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        child(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { child(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { SlotEncoder(slot: slot.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

private struct UnkeyedSlot: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey]
    var count: Int { slot.items.count }

    private func next() -> SlotEncoder { SlotEncoder(slot: slot.item(), codingPath: codingPath) }

    mutating func encodeNil() throws { try next().encodeNil() }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}
