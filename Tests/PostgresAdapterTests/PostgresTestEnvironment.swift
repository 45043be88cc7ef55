import EvalGatewayCore
import Foundation
import PostgresAdapter
import Synchronization

/// Where the Postgres tests find their server: `EVALGW_TEST_POSTGRES_URL` (a libpq URI). Without it
/// the tests that need a server are skipped, except on CI (`CI=true`), where a test fails instead.
enum PostgresTestEnvironment {
    /// The test server's URL, if configured.
    static let url: String? = {
        guard let url = ProcessInfo.processInfo.environment["EVALGW_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }()

    /// Whether a server is configured.
    static var isAvailable: Bool { url != nil }

    /// Whether the tests run on CI, where a missing server is a failure.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// A lowercase name unique to this process and call, for schemas and databases.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(getpid())_\(String(UInt64.random(in: 0 ... .max), radix: 36))"
    }

    /// The server URL, or a thrown error when the test should not have run.
    static func requireURL() throws -> String {
        guard let url else { throw StorageError.invalid("EVALGW_TEST_POSTGRES_URL is not set") }
        return url
    }

    /// A store over `tables` in `schema` on the test server.
    static func makeStore(
        schema: String,
        tables: [String] = ["agno_eval_runs"],
        configure: (inout PostgresStoreSettings) -> Void = { _ in }
    ) throws -> PostgresEvalRunStore {
        var settings = PostgresStoreSettings(url: try requireURL(), schema: schema, applicationName: "evalgw-tests")
        configure(&settings)
        return try PostgresEvalRunStore(settings: settings, tables: tables)
    }

    /// Runs `body` with a fresh schema name and an admin connection, then drops the schema (and
    /// everything in it) and closes the connection, whether `body` threw or not.
    static func withSchema<T: Sendable>(_ body: (_ schema: String, _ admin: PostgresAdmin) async throws -> T) async throws -> T {
        let schema = uniqueName("evalgw_test")
        let admin = try PostgresAdmin(url: requireURL())
        do {
            let result = try await body(schema, admin)
            try await admin.execute("DROP SCHEMA IF EXISTS \(quote(schema)) CASCADE")
            await admin.close()
            return result
        } catch {
            _ = try? await admin.execute("DROP SCHEMA IF EXISTS \(quote(schema)) CASCADE")
            await admin.close()
            throw error
        }
    }

    /// A quoted identifier (for names the tests make themselves).
    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A connection of the tests' own, for setup (Agno-made tables, outages) and checks behind the
/// store's back: the same nonblocking connection type the stores use, opened on first use.
struct PostgresAdmin: Sendable {
    private let connection: Connection

    /// Opens lazily, reopens after a failure.
    private final class Connection: Sendable {
        let parameters: PostgresConnectionParameters
        let current = Mutex<PostgresConnection?>(nil)
        init(parameters: PostgresConnectionParameters) { self.parameters = parameters }
    }

    /// A connection to `url`, opened on first use; `database` overrides the URL's database.
    init(url: String, database: String? = nil) {
        let overrides = database.map { [("dbname", $0)] } ?? []
        connection = Connection(parameters: PostgresConnectionParameters(url: url, overrides: [("client_encoding", "UTF8")] + overrides))
    }

    /// Runs one statement with bound parameters and returns its rows as text (`nil` for NULL).
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        let open: PostgresConnection
        if let existing = connection.current.withLock({ $0 }), !existing.isBroken {
            open = existing
        } else {
            open = try await PostgresConnection.connect(connection.parameters)
            connection.current.withLock { $0 = open }
        }
        let result = try await open.execute(sql, parameters)
        return (0..<result.rowCount).map { row in (0..<result.columnCount).map { result.optionalString(row, $0) } }
    }

    /// The first column of the first row.
    func value(_ sql: String, _ parameters: [String?] = []) async throws -> String? {
        try await execute(sql, parameters).first?.first ?? nil
    }

    /// Closes the connection.
    func close() async {
        connection.current.withLock { $0 }?.close()
    }
}
