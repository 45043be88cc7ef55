import EvalGatewayHTTP

/// `fanout:` — how a delete over several databases runs.
///
/// ```yaml
/// fanout: { max_parallel: 8 }   # databases worked on at once by one fan-out request
/// ```
struct FanOutSection: Decodable {
    var maxParallel: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxParallel = "max_parallel"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxParallel = try container.decodeIfPresent(Int.self, forKey: .maxParallel, in: 1...256)
    }
}

/// `delete:` — how a delete by filter (and a retention sweep) is cut into transactions.
///
/// ```yaml
/// delete: { filter_batch_rows: 10000 }   # rows per transaction, so no table is held for long
/// ```
struct DeleteSection: Decodable {
    var filterBatchRows: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case filterBatchRows = "filter_batch_rows"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        filterBatchRows = try container.decodeIfPresent(Int.self, forKey: .filterBatchRows, in: 1...1_000_000)
    }
}

/// `retention:` — the sweeper that deletes the runs older than each database's `retention.max_age_days`.
///
/// ```yaml
/// retention: { enabled: true, interval_seconds: 3600 }
/// ```
public struct RetentionConfiguration: Sendable, Equatable, Decodable {
    /// Whether this gateway sweeps (in a fleet on a Postgres registry, each database is swept by one
    /// gateway at a time, under a lease; a gateway with `enabled: false` sweeps none).
    public var enabled = true
    /// Seconds between two sweeps.
    public var intervalSeconds = 3600

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled
        case intervalSeconds = "interval_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) { self.enabled = enabled }
        if let seconds = try container.decodeIfPresent(Int.self, forKey: .intervalSeconds, in: 1...604_800) { intervalSeconds = seconds }
    }
}

/// `audit:` — what the audit trail keeps. Records are kept forever: retention never deletes them.
///
/// ```yaml
/// audit: { include_ids: false }   # true: records keep the ids themselves, not only their digest
/// ```
struct AuditSection: Decodable {
    var includeIDs: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case includeIDs = "include_ids"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        includeIDs = try container.decodeIfPresent(Bool.self, forKey: .includeIDs)
    }
}
