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

    @Test func rule4OnlyRegisteredTables() throws {
        #expect(try catalog(["a"]).resolve(databaseID: "a", table: "archive").table == "archive")
        #expect(throws: ResolutionError.notFound("No database with id 'a' has table 'Runs'")) {
            try catalog(["a"]).resolve(databaseID: "a", table: "Runs")
        }
    }
}
