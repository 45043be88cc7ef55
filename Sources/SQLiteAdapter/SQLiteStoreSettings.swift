/// How a ``SQLiteEvalRunStore`` opens its file and sizes its connections: the adapter's options, typed.
public struct SQLiteStoreSettings: Sendable, Equatable {
    /// The database file; missing parent folders are created when it is first opened.
    public var path: String
    /// How long a statement waits for a lock held by another process, in milliseconds.
    public var busyTimeoutMilliseconds: Int
    /// The read-only connections beside the one writer: reads run on them in WAL mode, so a read never
    /// waits for a commit.
    public var readConnections: Int
    /// How long a connection may stay unused before it is closed, in seconds.
    public var idleTimeoutSeconds: Int
    /// How long a read waits for a free read connection before failing as unavailable, in milliseconds.
    public var poolTimeoutMilliseconds: Int
    /// The longest a read may run before it is interrupted (answered as unavailable), in milliseconds;
    /// 0 means no limit. Writes are never interrupted once started (see ``SQLiteEvalRunStore``).
    public var statementTimeoutMilliseconds: Int

    /// Settings with the adapter's defaults: a 5 s busy timeout, 4 read connections, idle connections
    /// closed after 300 s, a 5 s wait for a read connection and a 30 s statement timeout.
    public init(
        path: String,
        busyTimeoutMilliseconds: Int = 5000,
        readConnections: Int = 4,
        idleTimeoutSeconds: Int = 300,
        poolTimeoutMilliseconds: Int = 5000,
        statementTimeoutMilliseconds: Int = 30_000
    ) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.readConnections = readConnections
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.poolTimeoutMilliseconds = poolTimeoutMilliseconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
    }
}
