import Crypto
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The digest of a set of ids an audit record keeps: their number and the SHA-256 of the distinct ids
/// sorted by their UTF-8 bytes, each followed by a NUL byte (ids never contain NUL: every adapter refuses
/// it), so a list of ids can be checked against a record with standard tools:
///
///     printf '%s\0' run-1 run-2 | LC_ALL=C sort -zu | sha256sum
public struct AuditDigest: Sendable, Equatable {
    /// The number of distinct ids.
    public let count: Int
    /// The SHA-256, in lower-case hex.
    public let sha256: String
    /// The distinct ids in byte order, when asked to keep them.
    public let ids: [String]?

    /// Digests `ids` (duplicates count once; ids are compared byte for byte).
    public init(_ ids: [String], keepingIDs: Bool = false) {
        let sorted = Self.sortedDistinct(ids)
        var hasher = SHA256()
        let separator: [UInt8] = [0]
        for id in sorted {
            var id = id
            id.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            hasher.update(data: separator)
        }
        count = sorted.count
        sha256 = Self.hex(Array(hasher.finalize()))
        self.ids = keepingIDs ? sorted : nil
    }

    /// The digest of no ids.
    public static let empty = AuditDigest([])

    /// The distinct strings of `ids`, sorted by their UTF-8 bytes.
    static func sortedDistinct(_ ids: [String]) -> [String] {
        var sorted = ids
        for index in sorted.indices { sorted[index].makeContiguousUTF8() }
        sorted.sort { precedes($0, $1) }
        var distinct: [String] = []
        distinct.reserveCapacity(sorted.count)
        // Sorted: an id is new when the last one kept sorts strictly before it (`memcmp`, not a byte loop).
        for id in sorted where distinct.last.map({ precedes($0, id) }) ?? true {
            distinct.append(id)
        }
        return distinct
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s (`memcmp` order, a prefix first).
    static func precedes(_ a: String, _ b: String) -> Bool {
        let result = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right -> Bool in
                let common = min(left.count, right.count)
                if common > 0, let l = left.baseAddress, let r = right.baseAddress {
                    let order = memcmp(l, r, common)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
        if let result = result ?? nil { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
