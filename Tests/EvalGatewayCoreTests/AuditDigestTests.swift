import EvalGatewayCore
import Testing

/// The digest an audit record keeps: distinct ids in byte order, each followed by NUL, under SHA-256 —
/// what `printf '%s\0' … | LC_ALL=C sort -zu | sha256sum` prints.
@Suite struct AuditDigestTests {
    @Test func duplicatesCountOnceAndOrderDoesNotMatter() {
        let digest = AuditDigest(["zz", "a", "b", "a"], keepingIDs: true)
        #expect(digest.count == 3)
        #expect(digest.ids == ["a", "b", "zz"])
        #expect(digest.sha256 == "eeba7351cf92f129b36fe8ddf9fbf37b904e39547925946650e9a3088e8ac90b")
        #expect(AuditDigest(["b", "zz", "a"]) == AuditDigest(["a", "b", "zz"]))
        #expect(AuditDigest([]).sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(AuditDigest(["a"]).ids == nil, "ids are kept only when asked")
    }

    @Test func idsCompareByTheirBytes() {
        // Precomposed é (C3 A9) and e + combining acute (65 CC 81) are two ids; "B" (42) sorts before "a" (61).
        let digest = AuditDigest(["caf\u{E9}", "cafe\u{301}", "a", "B", "caf\u{E9}"], keepingIDs: true)
        #expect(digest.count == 4)
        #expect(digest.ids?.map { Array($0.utf8) } == [[0x42], [0x61], Array("cafe\u{301}".utf8), Array("caf\u{E9}".utf8)])
    }

    @Test func recordIDsSortByTime() {
        let early = AuditRecordID.make(at: 1_700_000_000_000)
        let late = AuditRecordID.make(at: 1_700_000_000_001)
        #expect(early.count == 36 && early.utf8.lexicographicallyPrecedes(late.utf8))
        #expect(early.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    }

    /// Records made within one millisecond (a delete and the next one, answered at once) keep the order
    /// they were made in: `GET /admin/audit` lists them newest first.
    @Test func recordIDsWithinOneMillisecondSortInTheOrderMade() {
        let at = Timestamp.nowMilliseconds() + 10_000
        let ids = (0..<100).map { _ in AuditRecordID.make(at: at) }
        #expect(ids == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(ids).count == 100)
    }
}
