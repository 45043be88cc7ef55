/// One registered database: an id, the adapter kind that serves it, the eval-runs tables it exposes
/// (the first is the default), the adapter's own options, and its rate limit and retention policy.
///
/// The same entry comes from the configuration file (`databases[]`) or from the admin API
/// (`PUT /admin/databases/{db_id}`); both are checked by ``DatabaseDefinition/validate(id:registry:)``.
public struct DatabaseConfiguration: Sendable, Equatable {
    /// The `db_id` clients use (case-sensitive).
    public var id: String
    /// The adapter kind (`memory`, `sqlite`, `postgres`, or one a third party registered).
    public var adapter: String
    /// The eval-runs tables this database exposes; the first is used when a request names none.
    /// Only these names ever reach SQL as identifiers.
    public var tables: [String]
    /// The adapter-specific keys (`path`, `url`, `schema`, …).
    public var options: AdapterOptions
    /// The request rate this database accepts, across all tokens; `nil` = unlimited.
    public var rate: RateLimit?
    /// How long its eval runs are kept; `nil` = forever.
    public var retention: RetentionPolicy?

    /// The table used when a request names none.
    public var defaultTable: String { tables[0] }

    /// Creates a database entry.
    public init(
        id: String,
        adapter: String,
        tables: [String] = ["agno_eval_runs"],
        options: AdapterOptions = AdapterOptions(),
        rate: RateLimit? = nil,
        retention: RetentionPolicy? = nil
    ) {
        self.id = id
        self.adapter = adapter
        self.tables = tables
        self.options = options
        self.rate = rate
        self.retention = retention
    }

    /// Whether `other` is served by the same store: same adapter, tables and options. An entry replaced
    /// by one that differs only in its rate or retention keeps its open store.
    public func sharesStore(with other: DatabaseConfiguration) -> Bool {
        adapter == other.adapter && tables == other.tables && options.values == other.options.values
    }
}

/// A request rate: a token bucket refilled at `requestsPerSecond` that holds at most `burst` requests.
public struct RateLimit: Sendable, Equatable, Decodable {
    /// Requests admitted per second, on average.
    public var requestsPerSecond: Double
    /// Requests admitted at once after a quiet period.
    public var burst: Int

    /// Creates a rate; `burst` defaults to one second's worth (at least 1).
    public init(requestsPerSecond: Double, burst: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst ?? max(1, Int(requestsPerSecond.rounded(.up)))
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case requestsPerSecond = "requests_per_second"
        case burst
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let rate = try container.decode(Double.self, forKey: .requestsPerSecond)
        guard rate > 0, rate <= 1_000_000 else {
            throw container.problem(.requestsPerSecond, "must be more than 0 and at most 1000000, found \(rate)")
        }
        let burst = try container.decodeIfPresent(Int.self, forKey: .burst, in: 1...1_000_000)
        self.init(requestsPerSecond: rate, burst: burst)
    }
}

/// How long a database keeps its eval runs: rows older than `maxAgeDays` (by `created_at`) are deleted
/// by the retention sweeper.
public struct RetentionPolicy: Sendable, Equatable, Decodable {
    /// The age, in days, past which a run is deleted.
    public var maxAgeDays: Int

    /// Creates a policy.
    public init(maxAgeDays: Int) { self.maxAgeDays = maxAgeDays }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxAgeDays = "max_age_days"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let days = try container.decodeIfPresent(Int.self, forKey: .maxAgeDays, in: 1...36_500) else {
            throw container.problem(.maxAgeDays, "is required")
        }
        self.init(maxAgeDays: days)
    }
}

/// The rules for a `db_id`, the same in the file and in the admin API.
public enum DatabaseID {
    /// Why `id` cannot be a `db_id`, or `nil` if it can: 1 to 128 printable ASCII characters, without
    /// spaces, `,` (it separates fan-out lists), `*` (it means every database) or `/`.
    public static func problem(with id: String) -> String? {
        if id.isEmpty { return "must not be empty" }
        if id.utf8.count > 128 { return "must be at most 128 characters, found \(id.utf8.count)" }
        guard id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") && $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "/") }) else {
            return "'\(printable(id))' must be printable ASCII without spaces, ',', '*' or '/'"
        }
        return nil
    }

    /// `text` with control and non-ASCII characters escaped, safe to show in a message.
    static func printable(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars.prefix(140) {
            shown += scalar.value >= 0x20 && scalar.value < 0x7F ? String(scalar) : scalar.escaped(asASCII: true)
        }
        return shown
    }
}
