/// A string that compares and hashes by its UTF-8 bytes.
///
/// Swift's `String ==` compares by canonical equivalence, so `café` written precomposed and `café`
/// written with a combining accent are equal strings — and one dictionary key. The storage contract
/// says ids and filter values compare byte for byte, as SQLite and Postgres compare them: adapters
/// that key rows in Swift use this type instead of `String`.
public struct BytewiseString: Hashable, Sendable, CustomStringConvertible {
    /// The string.
    public let string: String

    /// Wraps `string`.
    public init(_ string: String) { self.string = string }

    public static func == (lhs: BytewiseString, rhs: BytewiseString) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public var description: String { string }
}

extension String {
    /// Whether both strings hold the same UTF-8 bytes (no Unicode normalization, unlike `==`).
    public func isBytewiseEqual(to other: String) -> Bool {
        utf8.elementsEqual(other.utf8)
    }
}

extension Optional where Wrapped == String {
    /// Whether both are `nil`, or both hold the same UTF-8 bytes.
    public func isBytewiseEqual(to other: String?) -> Bool {
        switch (self, other) {
        case (nil, nil): true
        case (let lhs?, let rhs?): lhs.isBytewiseEqual(to: rhs)
        default: false
        }
    }
}
