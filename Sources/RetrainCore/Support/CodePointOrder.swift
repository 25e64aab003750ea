#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// The positions of `ids` in code-point order. Schedule ids are ASCII (the id rule), where String's
/// own `<` is code-point order and needs no copy of either string; input that is already in order
/// (specs come sorted from validation) costs one pass.
func sortedPositions(ofIDs ids: [String]) -> [Int] {
    if zip(ids, ids.dropFirst()).allSatisfy({ $0 < $1 }) { return Array(ids.indices) }
    return ids.indices.sorted { ids[$0] < ids[$1] }
}
