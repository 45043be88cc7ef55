public import EvalGatewayCore
import Synchronization

/// The contract of a registry store (``RegistryStore``) as named, executable checks: what every gateway
/// of a fleet relies on when it catches up from a shared store. Each check gets a fresh, empty store.
///
/// ```swift
/// let suite = RegistryStoreSuite(name: "sqlite") { try await SQLiteRegistryStore(path: temporaryFile()) }
/// for result in await suite.run() { #expect(result.didNotFail, "\(result)") }
/// ```
public struct RegistryStoreSuite: Sendable {
    /// The store kind, for reports.
    public let name: String
    /// Opens a fresh, empty store.
    public let makeStore: @Sendable () async throws -> any RegistryStore
    /// Opens a second store over the same backend as the last one `makeStore` opened (another gateway, or
    /// the same one after a restart); `nil` skips the checks that need it.
    public let reopen: (@Sendable () async throws -> any RegistryStore)?

    /// A suite over the stores `makeStore` opens.
    public init(
        name: String,
        reopen: (@Sendable () async throws -> any RegistryStore)? = nil,
        makeStore: @escaping @Sendable () async throws -> any RegistryStore
    ) {
        self.name = name
        self.makeStore = makeStore
        self.reopen = reopen
    }

    /// One check of the contract.
    struct Check: Sendable {
        let name: String
        let summary: String
        let needsReopen: Bool
        let body: @Sendable (any RegistryStore, RegistryStoreSuite) async throws -> Void
    }

    /// The names of every check.
    public static var checkNames: [String] { checks.map(\.name) }

    /// Runs every check (or those whose names are in `only`) and returns one result each.
    public func run(only: Set<String>? = nil) async -> [ConformanceResult] {
        var results: [ConformanceResult] = []
        for check in Self.checks where only?.contains(check.name) ?? true {
            if check.needsReopen, reopen == nil {
                results.append(ConformanceResult(check: check.name, outcome: .skipped("no second store over the same backend"), seconds: 0))
                continue
            }
            let start = ContinuousClock.now
            let outcome: ConformanceResult.Outcome
            do {
                let store = try await makeStore()
                do {
                    try await check.body(store, self)
                } catch {
                    await store.close()
                    throw error
                }
                await store.close()
                outcome = .passed
            } catch let failure as ConformanceFailure {
                outcome = .failed(failure.description)
            } catch {
                outcome = .failed("unexpected error: \(error)")
            }
            results.append(ConformanceResult(check: check.name, outcome: outcome, seconds: (ContinuousClock.now - start).milliseconds / 1000))
        }
        return results
    }

    static let checks: [Check] = [
        Check(name: "registry-starts-empty", summary: "A new store has no entries.", needsReopen: false) { store, _ in
            let changes = try await store.changes(after: 0)
            try expectEqual(changes.entries.count, 0, "entries of a new store")
            try expectEqual(try await store.currentVersion(), changes.version, "the version read two ways")
        },
        Check(name: "registry-put-then-replace", summary: "A put creates, a second put replaces (keeping the creation time), each with a higher version.", needsReopen: false) { store, _ in
            let first = try await store.put(databaseEntry("tenant-a", at: 1_000))
            try expect(first.created, "the first put creates")
            try expect(first.entry.version > 0, "a write has a version above 0")
            let second = try await store.put(databaseEntry("tenant-a", definition: #"{"adapter":"memory","tables":["b"]}"#, at: 2_000))
            try expect(!second.created, "the second put replaces")
            try expect(second.entry.version > first.entry.version, "a later write has a higher version")
            try expectEqual(second.entry.createdAt, 1_000, "the creation time of a replaced entry")
            let entries = try await store.changes(after: 0).entries
            try expectEqual(entries.map(\.name), ["tenant-a"], "entries after two puts of one name")
            try expectEqual(entries[0].definition, #"{"adapter":"memory","tables":["b"]}"#, "the definition as last written")
            try expectEqual(entries[0].updatedAt, 2_000, "the update time as last written")
        },
        Check(name: "registry-changes-after-a-version", summary: "changes(after: v) returns exactly the entries written after v, in version order.", needsReopen: false) { store, _ in
            _ = try await store.put(databaseEntry("a", at: 1))
            let mark = try await store.currentVersion()
            _ = try await store.put(databaseEntry("b", at: 2))
            _ = try await store.put(tokenEntry("t", digest: digest(1), at: 3))
            let changes = try await store.changes(after: mark)
            try expectEqual(changes.entries.map(\.name), ["b", "t"], "entries written after the mark")
            try expectEqual(changes.entries.map(\.kind), [.database, .token], "their kinds")
            try expectEqual(changes.version, try await store.currentVersion(), "the version with the changes")
            try expectEqual(changes.entries[1].secretDigest, digest(1), "a token's secret digest")
            try expectEqual(try await store.changes(after: changes.version).entries.count, 0, "nothing after the latest version")
        },
        Check(name: "registry-remove-leaves-a-tombstone", summary: "A removal is seen by gateways that caught up before it, and a removed entry is gone for one that starts afresh.", needsReopen: false) { store, _ in
            _ = try await store.put(databaseEntry("gone", at: 1))
            let mark = try await store.currentVersion()
            try expect(try await store.remove(.database, name: "gone", at: 5), "removing an entry that exists")
            try expect(!(try await store.remove(.database, name: "gone", at: 6)), "removing it again")
            try expect(!(try await store.remove(.token, name: "gone", at: 6)), "removing the same name of the other kind")
            let changes = try await store.changes(after: mark).entries
            try expectEqual(changes.map(\.isRemoved), [true], "the tombstone after the mark")
            try expectEqual(try await store.changes(after: 0).entries.count, 0, "entries for a gateway that starts afresh")
            let again = try await store.put(databaseEntry("gone", at: 9))
            try expect(again.created, "a put after a removal creates")
        },
        Check(name: "registry-token-secrets-are-unique", summary: "Two live tokens cannot share a secret digest; a removed token's can be reused.", needsReopen: false) { store, _ in
            _ = try await store.put(tokenEntry("first", digest: digest(7), at: 1))
            try await expectStorageError(.conflict, "a second token with the same secret") {
                _ = try await store.put(tokenEntry("second", digest: digest(7), at: 2))
            }
            _ = try await store.put(tokenEntry("first", digest: digest(7), at: 3))
            _ = try await store.remove(.token, name: "first", at: 4)
            _ = try await store.put(tokenEntry("second", digest: digest(7), at: 5))
        },
        Check(name: "registry-concurrent-writes-get-distinct-versions", summary: "Concurrent writes each get their own version; the store's version counts them all.", needsReopen: false) { store, _ in
            let start = try await store.currentVersion()
            let versions = try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<20 {
                    group.addTask { try await store.put(databaseEntry("tenant-\(index)", at: Int64(index))).entry.version }
                }
                var versions: [Int64] = []
                for try await version in group { versions.append(version) }
                return versions
            }
            try expectEqual(Set(versions).count, 20, "distinct versions of 20 writes")
            try expectEqual(try await store.currentVersion(), start + 20, "the version after 20 writes")
            try expectEqual(try await store.changes(after: start).entries.map(\.version), versions.sorted(), "changes in version order")
        },
        Check(name: "registry-shared-key-is-stable", summary: "A shared key is 32 bytes, the same on every call, and distinct per name.", needsReopen: false) { store, _ in
            let key = try await store.sharedKey(named: "cursor")
            try expectEqual(key.count, 32, "key length")
            try expectEqual(try await store.sharedKey(named: "cursor"), key, "the key read again")
            try expect(try await store.sharedKey(named: "other") != key, "another name's key differs")
        },
        Check(name: "registry-notifies-its-writes", summary: "A store with a push channel announces a write to its listeners.", needsReopen: false) { store, _ in
            guard let notifications = store.notifications() else { return }
            let heard = Mutex<Int64>(0)
            let listener = Task {
                for await notification in notifications {
                    if case .changed(let version) = notification { heard.withLock { $0 = max($0, version) } }
                }
            }
            defer { listener.cancel() }
            // The channel may take a moment to open (a listening connection): write until one is heard.
            for attempt in 0..<10 {
                let written = try await store.put(databaseEntry("announced-\(attempt)", at: 1)).entry.version
                for _ in 0..<10 {
                    if heard.withLock({ $0 }) >= written { return }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            throw ConformanceFailure(description: "no .changed notification heard for 10 writes, 1 s apart")
        },
        Check(name: "registry-lease-is-exclusive", summary: "A lease is held by one owner until it expires; its holder renews it; after it expires another takes it.", needsReopen: false) { store, _ in
            let lease = "retention:lease-\(UInt32.random(in: .min ... .max))"
            try expect(try await store.acquireLease(lease, owner: "a", until: 2_000, now: 1_000), "a free lease is taken")
            try expect(!(try await store.acquireLease(lease, owner: "b", until: 2_500, now: 1_500)), "a held lease is taken by another owner")
            try expect(try await store.acquireLease(lease, owner: "a", until: 3_000, now: 1_600), "the holder renews its lease")
            try expect(!(try await store.acquireLease(lease, owner: "b", until: 3_500, now: 2_999)), "a renewed lease is taken before it expires")
            try expect(try await store.acquireLease(lease, owner: "b", until: 4_000, now: 3_000), "an expired lease is taken over")
            try expect(!(try await store.acquireLease(lease, owner: "a", until: 4_500, now: 3_100)), "the former holder takes a lease taken over")
            try expect(try await store.acquireLease("\(lease)-other", owner: "a", until: 4_500, now: 3_100), "another lease is independent")
        },
        Check(name: "registry-lease-concurrent-acquires", summary: "20 owners asking for one free lease at once: exactly one gets it.", needsReopen: false) { store, _ in
            let lease = "retention:race-\(UInt32.random(in: .min ... .max))"
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for owner in 0..<20 {
                    group.addTask { try await store.acquireLease(lease, owner: "owner-\(owner)", until: 10_000, now: 1_000) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            try expectEqual(winners, 1, "owners that got the lease")
        },
        Check(name: "registry-shared-by-two-stores", summary: "A second store over the same backend (another gateway, or a restart) sees every entry and version.", needsReopen: true) { store, suite in
            _ = try await store.put(databaseEntry("shared", at: 1))
            _ = try await store.put(tokenEntry("shared-token", digest: digest(3), at: 2))
            let other = try await suite.reopen!()
            do {
                let entries = try await other.changes(after: 0).entries
                try expectEqual(Set(entries.map(\.name)), ["shared", "shared-token"], "entries seen by the second store")
                try expectEqual(try await other.currentVersion(), try await store.currentVersion(), "versions seen by both")
                try expectEqual(try await other.sharedKey(named: "cursor"), try await store.sharedKey(named: "cursor"), "the shared key")
                _ = try await other.put(databaseEntry("from-other", at: 3))
                try expect(try await store.changes(after: 0).entries.contains { $0.name == "from-other" }, "the first store sees the second's write")
                let lease = "retention:shared-\(UInt32.random(in: .min ... .max))"
                try expect(try await store.acquireLease(lease, owner: "first", until: 5_000, now: 1_000), "the first store takes a lease")
                try expect(!(try await other.acquireLease(lease, owner: "second", until: 5_000, now: 1_000)), "the second store takes the first's lease")
            } catch {
                await other.close()
                throw error
            }
            await other.close()
        },
    ]
}

private func databaseEntry(_ name: String, definition: String = #"{"adapter":"memory"}"#, at time: Int64) -> RegistryEntry {
    RegistryEntry(kind: .database, name: name, definition: definition, createdAt: time, updatedAt: time)
}

private func tokenEntry(_ name: String, digest: [UInt8], at time: Int64) -> RegistryEntry {
    RegistryEntry(kind: .token, name: name, definition: #"{"scopes":["evals:read"]}"#, secretDigest: digest, createdAt: time, updatedAt: time)
}

private func digest(_ seed: UInt8) -> [UInt8] { Array(repeating: seed, count: 32) }
