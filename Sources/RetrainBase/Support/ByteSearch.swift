import Glibc

/// Byte-level text checks for the hot decoding path (inlinable: called from the modules above). `String.contains(String)` goes through the
/// general substring searcher, far slower than a scan of a few dozen UTF-8 bytes.
extension String {
    /// Calls `body` with the string's UTF-8 bytes: in place for a native string (every string read
    /// from a file is one), where `Array(utf8)` would allocate a copy on every call.
    @inlinable package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8(body)
    }

    /// Whether the UTF-8 bytes of `needle` occur in this string's.
    @inlinable package func containsBytes(_ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        var copy = self
        return copy.withUTF8 { hay in
            guard n > 0, hay.count >= n else { return n == 0 }
            let first = needle.utf8Start[0]
            var i = 0
            while i + n <= hay.count {
                if hay[i] == first {
                    var j = 1
                    while j < n, hay[i + j] == needle.utf8Start[j] { j += 1 }
                    if j == n { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// Whether the string ends with ASCII `suffix`, ignoring ASCII case.
    @inlinable package func hasSuffixIgnoringASCIICase(_ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        var copy = self
        return copy.withUTF8 { bytes in
            guard bytes.count >= n else { return false }
            let start = bytes.count - n
            for j in 0..<n where bytes[start + j] | 0x20 != suffix.utf8Start[j] | 0x20 { return false }
            return true
        }
    }
}

/// Counting and finding bytes with `memchr`, which scans a word at a time.
package enum ByteSearch {
    /// Where `byte` first stands in `buffer[from..<to]`; `to` when it does not.
    package static func index(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let base = buffer.baseAddress else { return to }
        return memchr(base + from, Int32(byte), to - from).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? to
    }

    /// Where `needle` first stands in `buffer[range]`.
    package static func index(of needle: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, within range: Range<Int>) -> Int? {
        guard let first = needle.first else { return range.lowerBound }
        var at = range.lowerBound
        while at + needle.count <= range.upperBound {
            at = index(of: first, in: buffer, from: at, to: range.upperBound)
            if at + needle.count <= range.upperBound, memcmp(buffer.baseAddress! + at, needle, needle.count) == 0 { return at }
            at += 1
        }
        return nil
    }

    /// How many times `byte` occurs in `buffer`.
    package static func count(_ byte: UInt8, in buffer: UnsafeRawBufferPointer) -> Int {
        guard var cursor = buffer.baseAddress else { return 0 }
        let end = cursor + buffer.count
        var found = 0
        while cursor < end, let hit = memchr(cursor, Int32(byte), end - cursor) {
            found += 1
            cursor = UnsafeRawPointer(hit) + 1
        }
        return found
    }
}
