import EvalGatewayCore

/// What the batch-evaluation job checks share: jobs named uniquely per run, claims that look past jobs
/// of earlier runs, and the retirement of a check's jobs.
///
/// A job store belongs to a whole database, not to a check's tables, so on a persistent store (a SQLite
/// file, a Postgres schema, a configured database) it may hold jobs of earlier runs. Job checks
/// therefore name their jobs with the context's random suffix, judge only their own jobs (and the order
/// of whole listings), and take the times they pass from the clock: a lease they grant expires either
/// ten minutes from now (held) or a millisecond ago (a crashed runner), so they never take over a lease
/// that a real runner still holds.
extension ConformanceContext {
    /// The job store; the suite skips job checks on a store without one.
    var jobStore: any BatchEvaluationStore {
        get throws {
            guard let jobs else { throw ConformanceFailure(description: ConformanceSuite.noJobStoreReason) }
            return jobs
        }
    }

    /// A runner name unique to this check's run.
    func owner(_ label: String) -> String { "conformance-\(suffix)-\(label)" }

    /// A new job of this check: name `cf_<suffix>_<label>` (AgentCore's name pattern), id
    /// `<name>-<10 alphanumerics>`, two sessions, one evaluator, writing into the check's table.
    func makeJob(_ label: String, createdAt: Int64, clientToken: String? = nil, parametersHash: String = "params-1") -> BatchEvaluation {
        let name = "cf_\(suffix)_\(label)"
        let alphanumerics = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let id = "\(name)-\(String((0..<10).map { _ in alphanumerics.randomElement()! }))"
        return BatchEvaluation(
            id: id,
            arn: "arn:aws:bedrock-agentcore:us-east-1:123456789012:batch-evaluate/\(id)",
            name: name,
            evaluatorIDs: ["Builtin.Correctness"],
            sessions: [BatchEvaluationSession(sessionID: "session-a"), BatchEvaluationSession(sessionID: "session-b")],
            dataSourceConfig: .object(["cloudWatchLogs": .object(["serviceNames": .array([.string("svc")])])]),
            createdAt: createdAt,
            clientToken: clientToken,
            parametersHash: parametersHash,
            evalRunsTable: table
        )
    }

    /// Creates `job`, expects it to be new, and records it for retirement.
    @discardableResult
    func create(_ job: BatchEvaluation) async throws -> BatchEvaluation {
        let creation = try await jobStore.createBatchEvaluation(job)
        await createdJobs.record(creation.job.id)
        try expect(creation.created, "create of \(job.id) reported an existing job (\(creation.job.id))")
        return creation.job
    }

    /// The stored job with this id, failing if there is none.
    func storedJob(_ id: String) async throws -> BatchEvaluation {
        guard let job = try await jobStore.batchEvaluation(id: id) else {
            throw ConformanceFailure(description: "job \(id) is missing")
        }
        return job
    }

    /// Claims as `owner` until one of `ids` comes back, or nothing runnable is left (then `nil`).
    ///
    /// Jobs of others claimed on the way (left by earlier runs in a persistent store) are released
    /// afterwards, their results untouched and their lease expiring now, so they stay runnable.
    func claim(oneOf ids: Set<String>, owner: String, leaseExpiresAt: Int64) async throws -> BatchEvaluation? {
        let store = try jobStore
        var others: [BatchEvaluation] = []
        var found: BatchEvaluation?
        for _ in 0..<10_000 {
            guard let claimed = try await store.claimBatchEvaluation(owner: owner, leaseExpiresAt: leaseExpiresAt, at: Timestamp.nowMilliseconds()) else { break }
            if ids.contains(claimed.id) {
                found = claimed
                break
            }
            try expect(!others.contains { $0.id == claimed.id }, "job \(claimed.id) was claimed twice by \(owner) while its lease held")
            others.append(claimed)
        }
        for other in others {
            let now = Timestamp.nowMilliseconds()
            _ = try await store.updateBatchEvaluation(
                id: other.id, owner: owner, BatchEvaluationUpdate(results: other.results, errorDetails: other.errorDetails, leaseExpiresAt: now), at: now
            )
        }
        return found
    }

    /// Claims the job `id` as `owner`, failing if another job of this check or nothing comes back.
    func claim(_ id: String, owner: String, leaseExpiresAt: Int64) async throws -> BatchEvaluation {
        guard let claimed = try await claim(oneOf: [id], owner: owner, leaseExpiresAt: leaseExpiresAt) else {
            throw ConformanceFailure(description: "\(owner) could not claim runnable job \(id)")
        }
        return claimed
    }

    /// Claims `id` as `owner` and finishes it with `status`.
    func finish(_ id: String, as status: BatchEvaluationStatus, owner: String) async throws -> BatchEvaluationState {
        let claimed = try await claim(id, owner: owner, leaseExpiresAt: Self.heldLease())
        return try await jobStore.updateBatchEvaluation(
            id: id, owner: owner,
            BatchEvaluationUpdate(results: claimed.results, finalStatus: status, errorDetails: status == .failed ? ["conformance"] : [], leaseExpiresAt: 0),
            at: Timestamp.nowMilliseconds()
        )
    }

    /// A lease end ten minutes from now: the job stays held for the rest of the check.
    static func heldLease() -> Int64 { Timestamp.nowMilliseconds() + 600_000 }

    /// A lease end a millisecond ago: the runner has, in effect, crashed.
    static func expiredLease() -> Int64 { Timestamp.nowMilliseconds() - 1 }

    /// Best effort, errors ignored: stops every job this check created, finishes those still running
    /// (as their holder, or after claiming them) and deletes them, so a persistent store is left as the
    /// check found it.
    func retireJobs() async {
        guard let store = jobs else { return }
        for id in await createdJobs.ids {
            guard var job = try? await store.batchEvaluation(id: id) else { continue }
            if !job.status.isTerminal {
                job = (try? await store.stopBatchEvaluation(id: id, at: Timestamp.nowMilliseconds())) ?? job
                var holder = job.leaseOwner
                if holder == nil || (job.leaseExpiresAt ?? 0) <= Timestamp.nowMilliseconds() {
                    holder = owner("retire")
                    job = (try? await claim(oneOf: [id], owner: holder!, leaseExpiresAt: Self.heldLease())) ?? job
                }
                if let holder {
                    _ = try? await store.updateBatchEvaluation(
                        id: id, owner: holder, BatchEvaluationUpdate(results: job.results, finalStatus: .stopped, leaseExpiresAt: 0), at: Timestamp.nowMilliseconds()
                    )
                }
            }
            _ = try? await store.deleteBatchEvaluation(id: id, audit: .forTests(ids: [id], kind: .batchEvaluation))
        }
    }
}

/// Expects `body` to throw ``BatchEvaluationError/idempotentParameterMismatch(_:)``.
func expectParameterMismatch(_ what: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch BatchEvaluationError.idempotentParameterMismatch {
        return
    } catch {
        throw ConformanceFailure(description: "\(what): expected BatchEvaluationError.idempotentParameterMismatch, got \(type(of: error)): \(error)")
    }
    throw ConformanceFailure(description: "\(what): expected BatchEvaluationError.idempotentParameterMismatch, but it succeeded")
}
