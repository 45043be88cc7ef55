import Foundation

/// Another program — the `sqlite3` command-line tool — holding an SQLite file's write lock until the test
/// lets go. `acquire` returns only once the lock is held (the tool says so on its output), and the lock is
/// held until `release`, so a test never guesses how long a process takes to start on a busy machine.
final class SQLiteLockHolder: Sendable {
    private let process: Process
    private let input: FileHandle

    private init(process: Process, input: FileHandle) {
        self.process = process
        self.input = input
    }

    /// Starts `sqlite3` on `path`, begins an exclusive transaction, runs `statements` inside it and waits
    /// until the lock is held.
    static func acquire(_ path: String, running statements: String = "") async throws -> SQLiteLockHolder {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\n\(statements)\n.print locked\n".utf8))
        let reader = output.fileHandleForReading
        // Read on a thread of its own: the read blocks, and the cooperative pool runs the gateway under test.
        let said: String = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var text = ""
                while !text.contains("locked") {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    text += String(decoding: chunk, as: UTF8.self)
                }
                continuation.resume(returning: text)
            }
        }
        guard said.contains("locked") else {
            throw SQLiteLockError(message: "sqlite3 did not take the lock on \(path): \(said)")
        }
        return SQLiteLockHolder(process: process, input: input.fileHandleForWriting)
    }

    /// Rolls the transaction back, which releases the lock, and waits for the tool to exit.
    func release() async throws {
        input.write(Data("ROLLBACK;\n".utf8))
        try input.close()
        await waitForExit(process)
    }
}

struct SQLiteLockError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
