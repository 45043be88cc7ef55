/// The parameters of a Start request that idempotency compares: a stable hash of their canonical JSON.
public enum BatchEvaluationParameters {
    /// A hash of `parameters` (a JSON value; objects are hashed with sorted keys, so member order does
    /// not matter): 128 bits as 32 hex digits (two FNV-1a 64 passes with different offsets). It detects
    /// a reused token with other parameters; it is not a cryptographic digest.
    public static func hash(_ parameters: JSONValue) -> String {
        let bytes = Array(parameters.jsonText.utf8)
        return hex(fnv1a(bytes, offset: 0xcbf2_9ce4_8422_2325)) + hex(fnv1a(bytes, offset: 0x6c62_272e_07bb_0142))
    }

    /// FNV-1a, 64 bits.
    public static func fnv1a(_ bytes: some Sequence<UInt8>, offset: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var hash = offset
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
