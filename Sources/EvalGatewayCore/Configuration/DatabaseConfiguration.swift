/// One registered database, as configured: an id, the adapter kind that serves it, the eval-runs tables
/// it exposes (the first is the default) and the adapter's own options.
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

    /// The table used when a request names none.
    public var defaultTable: String { tables[0] }

    /// Creates a database entry.
    public init(id: String, adapter: String, tables: [String] = ["agno_eval_runs"], options: AdapterOptions = AdapterOptions()) {
        self.id = id
        self.adapter = adapter
        self.tables = tables
        self.options = options
    }
}
