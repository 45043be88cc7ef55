import EvalGatewayCore
import Testing

/// The resolution rules of DESIGN §3, one by one, on the catalog itself.
@Suite struct DatabaseCatalogTests {
    struct NoStore: EvalRunStore {
        func listEvalRuns(in table: String, matching query: EvalRunQuery) async throws -> EvalRunPage { EvalRunPage(runs: [], totalCount: 0) }
        func evalRun(id: String, in table: String) async throws -> EvalRun? { nil }
        func createEvalRun(_ run: EvalRun, in table: String) async throws -> EvalRun { run }
        func renameEvalRun(id: String, to name: String, at timestamp: Int64, in table: String) async throws -> EvalRun { throw StorageError.notFound("") }
        func deleteEvalRuns(ids: [String], in table: String, returningRemovedIDs: Bool) async throws -> EvalRunDeletion { EvalRunDeletion(deletedCount: 0) }
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

    /// A database outside the token's set fails exactly as an unknown one, before its tables are looked at.
    @Test func aForeignDatabaseIsNotFoundLikeAnUnknownOne() throws {
        let token = AccessToken(name: "a-only", secret: "s", scopes: [.admin], databases: ["a"])
        let catalog = catalog(["a", "b"], default: "b")
        #expect(try catalog.resolve(databaseID: "a", table: "archive", for: token).database.id == "a")
        for table in [nil, "runs", "nope"] {
            #expect(throws: ResolutionError.notFound("No database found with id 'b'")) {
                try catalog.resolve(databaseID: "b", table: table, for: token)
            }
            #expect(throws: ResolutionError.notFound("No database found with id 'c'")) {
                try catalog.resolve(databaseID: "c", table: table, for: token)
            }
        }
        // Without a db_id, the default is not picked for a token that may not touch it.
        #expect(throws: ResolutionError.badRequest("The db_id query parameter is required when using multiple databases")) {
            try catalog.resolve(databaseID: nil, table: nil, for: token)
        }
        #expect(try catalog.resolve(databaseID: nil, table: nil, for: nil).database.id == "b")
        let everything = AccessToken(name: "all", secret: "t", scopes: [.read], databases: ["*"])
        #expect(try catalog.resolve(databaseID: "b", table: "runs", for: everything).database.id == "b")
    }

    @Test func rule4OnlyRegisteredTables() throws {
        #expect(try catalog(["a"]).resolve(databaseID: "a", table: "archive").table == "archive")
        #expect(throws: ResolutionError.notFound("No database with id 'a' has table 'Runs'")) {
            try catalog(["a"]).resolve(databaseID: "a", table: "Runs")
        }
    }
}
