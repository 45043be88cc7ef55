import EvalGatewayHTTP
import Foundation
import Testing

/// Sealed cursors open only unchanged, under the same key, for the same purpose and scope.
@Suite struct CursorAuthenticatorTests {
    let authenticator = CursorAuthenticator(key: [UInt8](repeating: 1, count: 32))

    @Test func aSealedCursorOpensToItsPayload() {
        for payload in ["", "1700000000000\njob-abcdefghij", "line\nbreaks, ünïcödé and 🙂", String(repeating: "x", count: 500)] {
            let sealed = authenticator.seal(payload, purpose: "p", scope: "db")
            #expect(authenticator.open(sealed, purpose: "p", scope: "db") == payload)
            #expect(sealed.utf8.allSatisfy { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        }
    }

    @Test func anotherKeyPurposeOrScopeRefusesIt() {
        let sealed = authenticator.seal("42\nid", purpose: "p", scope: "db")
        #expect(CursorAuthenticator(key: [UInt8](repeating: 2, count: 32)).open(sealed, purpose: "p", scope: "db") == nil)
        #expect(CursorAuthenticator.random().open(sealed, purpose: "p", scope: "db") == nil)
        #expect(authenticator.open(sealed, purpose: "q", scope: "db") == nil)
        #expect(authenticator.open(sealed, purpose: "p", scope: "db2") == nil)
        // Lengths are part of what is authenticated: moving bytes between purpose and scope changes it.
        #expect(authenticator.open(authenticator.seal("x", purpose: "ab", scope: "c"), purpose: "a", scope: "bc") == nil)
    }

    @Test func everyAlterationIsRefused() throws {
        let sealed = authenticator.seal("1700000000000\njob-abcdefghij", purpose: "p", scope: "db")
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var tried = 0
        for index in sealed.indices where sealed[index] != "." {
            for replacement in alphabet where replacement != sealed[index] {
                var altered = sealed
                altered.replaceSubrange(index...index, with: String(replacement))
                #expect(authenticator.open(altered, purpose: "p", scope: "db") == nil, "\(altered)")
                tried += 1
            }
        }
        #expect(tried > 1000)
        for cut in 1..<sealed.count {
            #expect(authenticator.open(String(sealed.prefix(cut)), purpose: "p", scope: "db") == nil)
            #expect(authenticator.open(String(sealed.dropFirst(cut)), purpose: "p", scope: "db") == nil)
        }
    }

    /// Only the canonical encoding opens: padding, the standard alphabet, non-zero spare bits, spaces.
    @Test func reencodingsAreRefused() throws {
        var sealed = ""
        var payload = 0
        // A cursor with both '-' or '_' in it, so the alphabet swap changes it.
        repeat {
            payload += 1
            sealed = authenticator.seal("cursor \(payload)", purpose: "p", scope: "db")
        } while !(sealed.contains("-") || sealed.contains("_"))
        let parts = sealed.split(separator: ".").map(String.init)
        let tag = parts[1]  // 32 bytes: 43 characters, the last carrying 2 spare bits
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: tag.last!))
        let spareBitsSet = String(tag.dropLast()) + String(alphabet[last | 1])
        #expect(spareBitsSet != tag)
        for variant in [
            parts[0] + "." + tag + "=", parts[0] + "=." + tag, parts[0] + "." + spareBitsSet,
            sealed.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"),
            sealed + " ", " " + sealed, sealed + "\n", sealed.replacingOccurrences(of: ".", with: ".."),
        ] {
            #expect(authenticator.open(variant, purpose: "p", scope: "db") == nil, "\(variant)")
        }
        #expect(authenticator.open(String(repeating: "A", count: 5000), purpose: "p", scope: "db") == nil)
    }
}
