import Crypto
import Foundation

/// Seals and opens the gateway's opaque cursors (AgentCore's `nextToken`, and any other position a client
/// hands back), so that a client can carry a cursor but not make or change one.
///
/// A sealed cursor is `<payload>.<tag>`, both in unpadded URL-safe base64, where the tag is
/// HMAC-SHA256 under the key of the payload, the cursor's purpose and its scope (the database it pages).
/// Opening checks the tag in constant time and refuses anything that is not exactly what ``seal(_:purpose:scope:)``
/// produces: a forged, altered, truncated or re-encoded cursor, one made for another purpose or another
/// database, or one sealed under another key.
///
/// Every gateway of a fleet must hold the same key, so that a cursor one of them issues is accepted by
/// all: the key comes from the store the fleet shares.
public struct CursorAuthenticator: Sendable {
    private let keyBytes: [UInt8]

    /// The longest sealed cursor that is opened at all.
    public static let maxSealedLength = 2048

    /// An authenticator over `key` (at least 32 bytes).
    public init(key: [UInt8]) {
        precondition(key.count >= 32, "a cursor key must have at least 32 bytes")
        self.keyBytes = key
    }

    /// An authenticator over a new random 32-byte key: cursors it seals open only with it.
    public static func random() -> CursorAuthenticator {
        CursorAuthenticator(key: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// `payload` sealed for `purpose` (what kind of cursor) and `scope` (the database it belongs to).
    public func seal(_ payload: String, purpose: String, scope: String) -> String {
        let bytes = Array(payload.utf8)
        let tag = HMAC<SHA256>.authenticationCode(for: Self.message(bytes, purpose: purpose, scope: scope), using: key)
        return Base64URL.encode(bytes) + "." + Base64URL.encode(Array(tag))
    }

    /// The payload of `sealed`, or `nil` unless it is exactly a cursor this key sealed for `purpose` and
    /// `scope`.
    public func open(_ sealed: String, purpose: String, scope: String) -> String? {
        guard sealed.utf8.count <= Self.maxSealedLength else { return nil }
        let parts = sealed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let payload = Base64URL.decode(parts[0]), let tag = Base64URL.decode(parts[1]),
              tag.count == SHA256.byteCount,
              HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: Self.message(payload, purpose: purpose, scope: scope), using: key)
        else { return nil }
        return String(validating: payload, as: UTF8.self)
    }

    /// What the tag authenticates: the purpose, the scope and the payload, each with its length first, so
    /// that no two different triples give the same bytes.
    private static func message(_ payload: [UInt8], purpose: String, scope: String) -> [UInt8] {
        var message: [UInt8] = Array("evalgw-cursor".utf8)
        for part in [Array(purpose.utf8), Array(scope.utf8), payload] {
            message += Array("\n\(part.count)\n".utf8)
            message += part
        }
        return message
    }
}

/// Unpadded URL-safe base64 (RFC 4648 §5), decoded strictly: only the canonical encoding of some bytes
/// decodes.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes whose encoding is exactly `text`, or `nil`.
    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.utf8.allSatisfy({ isAlphabet($0) }), text.utf8.count % 4 != 1 else { return nil }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: standard) else { return nil }
        let bytes = Array(data)
        // Unused low bits of the last character must be zero: otherwise other text decodes to the same bytes.
        guard encode(bytes) == text else { return nil }
        return bytes
    }

    private static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
