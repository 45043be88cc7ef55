import EvalGatewayCore
import Testing

/// The `db_id`/`table` resolution rules, one by one, on the catalog itself: a table needs a database; no
/// database picks the only one or the default; an unknown database or an unregistered table is not found.
@Suite struct DatabaseCatalogTests {
    struct NoStore: EvalRunStore {
        func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage { EvalRunPage(runs: [], totalCount: 0) }
        func evalRun(id: String, in table: String) async throws -> EvalRun? { nil }
        func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun { run }
        func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun { throw StorageError.notFound("") }
        func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool, audit: AuditRecord) async throws -> EvalRunDeletion { EvalRunDeletion(deletedCount: 0) }
        func deleteEvalRuns(matching filter: EvalRunFilter, in table: String, limit: Int, audit: AuditRecord) async throws -> EvalRunBatchDeletion {
            EvalRunBatchDeletion(deletedCount: 0, hasMore: false)
        }
        func countEvalRuns(matching filter: EvalRunFilter, in table: String) async throws -> Int { 0 }
        func auditRecords(matching query: AuditQuery) async throws -> AuditPage { AuditPage(records: [], totalCount: 0) }
        func ping() async throws {}
        func shutdown() async {}
    }

    func catalog(_ ids: [String], default defaultID: String? = nil) -> DatabaseCatalog {
        DatabaseCatalog(
            databases: ids.map { RegisteredDatabase(configuration: DatabaseConfiguration(id: $0, adapter: "memory", tables: ["runs", "archive"]), store: NoStore()) },
            defaultDatabaseID: defaultID
        )
    }

    @Test func rule1TableNeedsDatabaseID() {
        #expect(throws: ResolutionError.badRequest("The db_id query parameter is required when passing a table")) {
            try catalog(["a"]).resolve(databaseID: nil, table: "runs")
        }
    }

    @Test func rule2TheOnlyOneThenTheDefaultThenRefused() throws {
        #expect(try catalog(["a"]).resolve(databaseID: nil, table: nil).database.id == "a")
        #expect(try catalog(["a"]).resolve(databaseID: "", table: "").table == "runs")
        #expect(try catalog(["a", "b"], default: "b").resolve(databaseID: nil, table: nil).database.id == "b")
        #expect(throws: ResolutionError.badRequest("The db_id query parameter is required when using multiple databases")) {
            try catalog(["a", "b"]).resolve(databaseID: nil, table: nil)
        }
    }

    @Test func rule3UnknownDatabaseIsNotFoundCaseSensitively() {
        #expect(throws: ResolutionError.notFound("No database found with id 'A'")) {
            try catalog(["a"]).resolve(databaseID: "A", table: nil)
        }
    }

    /// Without a db_id, a database the token may not touch is never picked, and the refusal does not
    /// name it.
    @Test func aForeignDatabaseIsNeverPickedImplicitly() throws {
        let token = AccessToken(name: "a-only", secret: "s", scopes: [.admin], databases: ["a"])
        for catalog in [catalog(["a", "b"], default: "b"), catalog(["b"])] {
            #expect(throws: ResolutionError.badRequest("The db_id query parameter is required when using multiple databases")) {
                try catalog.resolve(databaseID: nil, table: nil, for: token)
            }
            #expect(try catalog.resolve(databaseID: nil, table: nil, for: nil).database.id == "b")
        }
    }

    @Test func rule4OnlyRegisteredTables() throws {
        #expect(try catalog(["a"]).resolve(databaseID: "a", table: "archive").table == "archive")
        #expect(throws: ResolutionError.notFound("No database with id 'a' has table 'Runs'")) {
            try catalog(["a"]).resolve(databaseID: "a", table: "Runs")
        }
    }

    /// A token that may not touch a database gets the same answer as for a database that does not exist,
    /// with or without a table: it cannot tell the two apart.
    @Test func aForeignDatabaseIsAnsweredAsAnUnknownOne() throws {
        let tenantA = AccessToken(name: "a-only", secret: "x", scopes: [.read], databases: ["a"])
        let catalog = catalog(["a", "b"])
        for table in [nil, "runs", "no-such-table"] {
            var foreign: ResolutionError?
            var missing: ResolutionError?
            do { _ = try catalog.resolve(databaseID: "b", table: table, for: tenantA) } catch { foreign = error }
            do { _ = try catalog.resolve(databaseID: "zz", table: table, for: tenantA) } catch { missing = error }
            #expect(foreign == .notFound("No database found with id 'b'"))
            #expect(missing == .notFound("No database found with id 'zz'"))
        }
        #expect(try catalog.resolve(databaseID: "a", table: nil, for: tenantA).database.id == "a")
    }

    /// Entries added, replaced and removed while the catalog serves are seen at once, whole.
    @Test func theCatalogIsLive() throws {
        let catalog = catalog(["a"])
        catalog.apply(databases: ["b": RegisteredDatabase(configuration: DatabaseConfiguration(id: "b", adapter: "memory", tables: ["t1"]), store: NoStore(), source: .api)])
        #expect(try catalog.resolve(databaseID: "b", table: "t1").database.source == .api)
        // Rule 2 follows the live count: two databases and no default → a db_id is required.
        #expect(throws: ResolutionError.badRequest("The db_id query parameter is required when using multiple databases")) {
            try catalog.resolve(databaseID: nil, table: nil)
        }
        let replaced = catalog.apply(databases: ["b": RegisteredDatabase(configuration: DatabaseConfiguration(id: "b", adapter: "memory", tables: ["t2"]), store: NoStore(), source: .api)])
        #expect(replaced.map(\.configuration.tables) == [["t1"]])
        #expect(throws: ResolutionError.notFound("No database with id 'b' has table 't1'")) {
            try catalog.resolve(databaseID: "b", table: "t1")
        }
        catalog.apply(databases: ["b": nil])
        #expect(throws: ResolutionError.notFound("No database found with id 'b'")) {
            try catalog.resolve(databaseID: "b", table: nil)
        }
        #expect(catalog.databases.map(\.id) == ["a"])
    }

    /// Declared databases keep file order; the others follow by id.
    @Test func declaredDatabasesComeFirstInFileOrder() {
        let catalog = catalog(["z", "m"])
        for id in ["c", "a"] {
            catalog.apply(databases: [id: RegisteredDatabase(configuration: DatabaseConfiguration(id: id, adapter: "memory"), store: NoStore(), source: .api)])
        }
        #expect(catalog.databases.map(\.id) == ["z", "m", "a", "c"])
    }

    /// A token made or revoked is in force at the next request.
    @Test func tokensAreLive() throws {
        let catalog = catalog(["a"])
        #expect(catalog.access.isOpen)
        catalog.apply(tokens: ["ci": RegisteredToken(token: AccessToken(name: "ci", secret: "s3cret", scopes: [.read], databases: ["*"]), source: .api)])
        #expect(!catalog.access.isOpen)
        #expect(try catalog.access.authenticate(authorization: "Bearer s3cret")?.name == "ci")
        #expect(throws: AccessError.invalidToken) { try catalog.access.authenticate(authorization: "Bearer s3cre") }
        catalog.apply(tokens: ["ci": nil])
        #expect(catalog.access.isOpen)
    }
}
