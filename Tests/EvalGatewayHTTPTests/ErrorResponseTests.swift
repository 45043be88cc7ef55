import EvalGatewayCore
import EvalGatewayHTTP
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLiteAdapter
import Synchronization
import Testing

/// Every non-2xx has the error body; 5xx bodies carry a request id and never SQL or driver text.
@Suite struct ErrorResponseTests {
    @Test func wrongMethodsAre405WithTheErrorBody() async throws {
        try await TestGateway.make().test { client in
            for (method, uri, allow) in [(HTTPRequest.Method.put, "/eval-runs", "GET, POST, DELETE"), (.delete, "/eval-runs/x", "GET, PATCH"), (.post, "/eval-runs/x", "GET, PATCH")] {
                let response = try await client.send(method, uri)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.errorCode == "METHOD_NOT_ALLOWED")
                #expect(response.headers[.allow] == allow)
            }
        }
    }

    @Test func unknownPathsAre404WithTheErrorBody() async throws {
        try await TestGateway.make().test { client in
            let response = try await client.send(.get, "/no/such/route")
            #expect(response.status == .notFound)
            #expect(response.errorCode == "NOT_FOUND")
        }
    }

    @Test func requestIDsAreEchoedOrGenerated() async throws {
        try await TestGateway.make().test { client in
            let echoed = try await client.send(.get, "/health", headers: [.xRequestID: "trace-123"])
            #expect(echoed.headers[.xRequestID] == "trace-123")
            let generated = try await client.send(.get, "/health")
            #expect((generated.headers[.xRequestID] ?? "").count >= 16)
        }
    }

    @Test func healthAndOpenAPI() async throws {
        try await TestGateway.make().test { client in
            let health = try await client.send(.get, "/health")
            #expect(String(buffer: health.body) == #"{"status":"ok"}"#)
            let document = try await client.send(.get, "/openapi.json").object
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            #expect(Set(paths["/eval-runs"]?.keys.map { $0 } ?? []) == ["get", "post", "delete"])
            #expect(Set(paths["/eval-runs/{id}"]?.keys.map { $0 } ?? []) == ["get", "patch"])
        }
    }

    /// A real driver failure (the table dropped behind the gateway's back) answers 500 with a request
    /// id, and the body has no SQL, no table name and no SQLite message.
    @Test func internalErrorsNeverLeakDriverText() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-leak-\(UUID().uuidString).sqlite").path
        let store = SQLiteEvalRunStore(path: path, tables: ["agno_eval_runs"])
        let database = RegisteredDatabase(configuration: DatabaseConfiguration(id: "fragile", adapter: "sqlite"), store: store)
        try await TestGateway.make(extra: [database], only: ["fragile"]).test { client in
            try await client.createRun("secret-id", db: "fragile")
            try await runSQLite(path, "DROP TABLE agno_eval_runs;")
            let response = try await client.send(.delete, "/eval-runs?db_id=fragile", json: #"{"eval_run_ids":["secret-id"]}"#, headers: [.xRequestID: "leak-check-1"])
            #expect(response.status == .internalServerError)
            #expect(response.errorCode == "INTERNAL_SERVER_ERROR")
            #expect(response.object["request_id"] as? String == "leak-check-1")
            let body = String(buffer: response.body)
            for forbidden in ["agno_eval_runs", "DELETE", "json_each", "SQLite", "no such table", "secret-id"] {
                #expect(!body.contains(forbidden), "the 500 body contains '\(forbidden)': \(body)")
            }
        }
    }

    /// A database that is locked by someone else answers 503 with Retry-After, deletes nothing, and
    /// works again once the lock is gone.
    @Test func aBusyDatabaseIs503AndRecovers() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evalgw-busy-\(UUID().uuidString).sqlite").path
        let store = SQLiteEvalRunStore(settings: SQLiteStoreSettings(path: path, busyTimeoutMilliseconds: 50), tables: ["agno_eval_runs"])
        let database = RegisteredDatabase(configuration: DatabaseConfiguration(id: "busy", adapter: "sqlite"), store: store)
        try await TestGateway.make(extra: [database], only: ["busy"]).test { client in
            try await client.createRun("kept", db: "busy")
            let lock = try await SQLiteLockHolder.acquire(path, running: "INSERT INTO agno_eval_runs (run_id, eval_type, eval_data, eval_input, created_at) VALUES ('lock', 'accuracy', '{}', '{}', 0);")
            let response = try await client.send(.delete, "/eval-runs?db_id=busy", json: #"{"eval_run_ids":["kept"]}"#)
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorCode == "BACKEND_UNAVAILABLE")
            #expect(response.headers[.retryAfter] != nil)
            try await lock.release()
            #expect(try await client.send(.get, "/eval-runs/kept?db_id=busy").status == .ok)
            let retry = try await client.send(.delete, "/eval-runs?db_id=busy", json: #"{"eval_run_ids":["kept"]}"#)
            #expect(retry.status == .noContent)
            #expect(retry.headers[.xDeletedCount] == "1")
        }
    }
}

/// Runs the `sqlite3` command-line tool on `path` with `script` and waits for it.
func runSQLite(_ path: String, _ script: String) async throws {
    let process = try startSQLite(path, script)
    await waitForExit(process)
    #expect(process.terminationStatus == 0)
}

/// Waits for `process` to exit without blocking a thread of Swift's cooperative pool (the other tests'
/// requests and timers run there).
func waitForExit(_ process: Process) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = ResumeOnce(continuation)
        process.terminationHandler = { _ in once.resume() }
        if !process.isRunning { once.resume() }
    }
}

/// Resumes a continuation the first time it is asked.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>
    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = Mutex(continuation) }
    func resume() {
        continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }?.resume()
    }
}

/// Starts the `sqlite3` command-line tool on `path` with `script` as its input.
func startSQLite(_ path: String, _ script: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path]
    let input = Pipe()
    process.standardInput = input
    try process.run()
    input.fileHandleForWriting.write(Data(script.utf8))
    try input.fileHandleForWriting.close()
    return process
}
