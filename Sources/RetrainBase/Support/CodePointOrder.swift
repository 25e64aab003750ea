import Glibc

/// Code-point (UTF-8 byte) order for strings: the order every listing and report uses, so output does
/// not depend on the locale or on Unicode normalisation. A memcmp on native strings' bytes.
@inline(__always)
public func codePointLess(_ a: String, _ b: String) -> Bool {
    var a = a
    var b = b
    return a.withUTF8 { x in
        b.withUTF8 { y in
            let common = min(x.count, y.count)
            if common > 0, let px = x.baseAddress, let py = y.baseAddress {
                let c = memcmp(px, py, common)
                if c != 0 { return c < 0 }
            }
            return x.count < y.count
        }
    }
}

/// The positions of `ids` in code-point order; input already in order (specs come sorted from
/// validation) costs one pass. Sorting 10,000 ids is on every command's path: each id's first eight
/// bytes, big-endian, decide most comparisons as one integer comparison, and memcmp over one buffer
/// holding every id decides the rest (String's `<` costs several times that).
package func sortedPositions(ofIDs ids: [String]) -> [Int] {
    if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return Array(ids.indices) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(ids.count * 32)
    var entries: [(key: UInt64, start: Int, count: Int, index: Int)] = []
    entries.reserveCapacity(ids.count)
    for (index, id) in ids.enumerated() {
        id.withUTF8Bytes { b in
            var key: UInt64 = 0
            for i in 0..<8 { key = key << 8 | UInt64(i < b.count ? b[i] : 0) }
            entries.append((key, bytes.count, b.count, index))
            bytes.append(contentsOf: b)
        }
    }
    bytes.withUnsafeBufferPointer { buffer in
        let base = buffer.baseAddress
        entries.sort { a, b in
            if a.key != b.key { return a.key < b.key }
            let common = min(a.count, b.count)
            if common > 0, let base {
                let c = memcmp(base + a.start, base + b.start, common)
                if c != 0 { return c < 0 }
            }
            return a.count < b.count
        }
    }
    return entries.map(\.index)
}
