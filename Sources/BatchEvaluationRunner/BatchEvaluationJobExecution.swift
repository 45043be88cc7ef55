import EvalGatewayCore
import Logging

/// One claimed job, worked through to its end by the runner that holds its lease.
///
/// PENDING was turned IN_PROGRESS by the claim. For each session not yet done (a job taken over from a
/// crashed runner resumes where its stored results say), the runner waits the session delay, scores the
/// session with each of the job's evaluators, and writes one eval run per (session, evaluator) into the
/// job's eval-runs table; whenever a poll interval (or half a lease, if shorter) has passed since the last
/// save, it stores the updated counters with a lease renewal. A stop request (`STOPPING`) is seen at the
/// next save — a poll interval plus at most one batch of sessions — and ends the job `STOPPED`. After the last session the job stays
/// IN_PROGRESS until its minimum duration has passed, then ends COMPLETED, COMPLETED_WITH_ERRORS or
/// FAILED. If the lease is lost (another runner took the job over), it stops touching the job.
struct BatchEvaluationJobExecution: Sendable {
    let job: BatchEvaluation
    let database: RegisteredDatabase
    let evaluators: SessionEvaluatorRegistry
    let configuration: BatchEvaluationRunnerConfiguration
    let logger: Logger

    /// Why a job's work ended early.
    private enum Interruption: Error {
        /// A stop was requested: finish as STOPPED.
        case stopRequested
        /// The runner is shutting down: release the lease, leave the job running.
        case cancelled
        /// The lease is gone or the store failed: leave the job alone.
        case abandoned(String)
    }

    func run() async {
        guard let store = database.batchEvaluations else { return }
        var results = job.results
        if results.evaluatorSummaries.map(\.evaluatorID) != job.evaluatorIDs || results.totalNumberOfSessions != job.sessions.count {
            results = BatchEvaluationResults(totalNumberOfSessions: job.sessions.count, evaluatorIDs: job.evaluatorIDs)
        }
        var metadata: Logger.Metadata = ["batch_evaluation_id": .string(job.id), "db_id": .string(database.id)]
        metadata["owner"] = .string(configuration.ownerID)
        var leaseRenewedAt = Timestamp.nowMilliseconds()
        var firstError: String?

        /// Stores `results`, renews the lease, and reports a stop request.
        func save() async throws(Interruption) {
            let now = Timestamp.nowMilliseconds()
            let update = BatchEvaluationUpdate(results: results, leaseExpiresAt: now + configuration.leaseDuration.wholeMilliseconds)
            let stored: BatchEvaluationState
            do {
                stored = try await store.updateBatchEvaluation(id: job.id, owner: configuration.ownerID, update, at: now)
            } catch {
                throw .abandoned("\(StorageError(error))")
            }
            leaseRenewedAt = now
            if stored.status == .stopping { throw .stopRequested }
        }

        /// Waits until `deadline` (epoch ms), checking for a stop request every poll interval and renewing
        /// the lease when half of it has gone.
        func wait(until deadline: Int64) async throws(Interruption) {
            while true {
                let now = Timestamp.nowMilliseconds()
                if now >= deadline { return }
                do {
                    try await Task.sleep(for: .milliseconds(min(deadline - now, configuration.pollInterval.wholeMilliseconds)))
                } catch {
                    throw .cancelled
                }
                if Timestamp.nowMilliseconds() - leaseRenewedAt >= configuration.leaseDuration.wholeMilliseconds / 2 {
                    try await save()
                } else {
                    let current: BatchEvaluationState?
                    do { current = try await store.batchEvaluationState(id: job.id) } catch { throw .abandoned("\(StorageError(error))") }
                    guard let current, current.leaseOwner == configuration.ownerID else { throw .abandoned("the lease was taken over") }
                    if current.status == .stopping { throw .stopRequested }
                }
            }
        }

        do throws(Interruption) {
            if job.status == .stopping { throw Interruption.stopRequested }
            if results.sessionsProcessed < job.sessions.count {
                results.numberOfSessionsInProgress = 1
                try await save()
            }
            // With a session delay, one session at a time (so a running job can be watched); without,
            // a few at once, so that their eval runs share commits.
            let width = configuration.sessionDelay > .zero ? 1 : Self.sessionsInFlight
            let saveInterval = min(configuration.pollInterval.wholeMilliseconds, configuration.leaseDuration.wholeMilliseconds / 2)
            while results.sessionsProcessed < job.sessions.count {
                if configuration.sessionDelay > .zero {
                    try await wait(until: Timestamp.nowMilliseconds() + configuration.sessionDelay.wholeMilliseconds)
                }
                if Task.isCancelled { throw Interruption.cancelled }
                let sessions = results.sessionsProcessed..<min(results.sessionsProcessed + width, job.sessions.count)
                for outcome in try await score(sessions: sessions) {
                    switch outcome.kind {
                    case .failed: results.numberOfSessionsFailed += 1
                    case .completed: results.numberOfSessionsCompleted += 1
                    case .ignored: results.numberOfSessionsIgnored += 1
                    }
                    if firstError == nil { firstError = outcome.firstError }
                    for (position, tally) in outcome.tallies.enumerated() {
                        results.evaluatorSummaries[position].totalEvaluated += tally.evaluated
                        results.evaluatorSummaries[position].totalFailed += tally.failed
                        results.evaluatorSummaries[position].totalIgnored += tally.ignored
                        results.evaluatorSummaries[position].scoreSum += tally.score
                    }
                }
                results.sessionsProcessed = sessions.upperBound
                results.numberOfSessionsInProgress = sessions.upperBound < job.sessions.count ? 1 : 0
                // Progress is stored (a stop request seen, the lease renewed) once a poll interval — or half
                // a lease, if shorter — has passed since the last save, not after every session: a resumed job
                // redoes at most that much, finding the eval runs already written.
                if sessions.upperBound == job.sessions.count || Timestamp.nowMilliseconds() - leaseRenewedAt >= saveInterval {
                    try await save()
                }
            }
            try await wait(until: job.createdAt + configuration.minimumJobDuration.wholeMilliseconds)
            let (status, details) = conclusion(results, firstError: firstError)
            try await finish(store, results: results, status: status, errorDetails: details, metadata: metadata)
        } catch {
            switch error {
            case .stopRequested:
                results.numberOfSessionsInProgress = 0
                try? await finish(store, results: results, status: .stopped, errorDetails: [], metadata: metadata)
            case .cancelled:
                // Shutting down: keep the progress, hand the job back at once.
                let now = Timestamp.nowMilliseconds()
                _ = try? await store.updateBatchEvaluation(
                    id: job.id, owner: configuration.ownerID, BatchEvaluationUpdate(results: results, leaseExpiresAt: now), at: now
                )
                logger.info("batch evaluation released at shutdown", metadata: metadata)
            case .abandoned(let reason):
                metadata["reason"] = .string(reason)
                logger.warning("batch evaluation abandoned by this runner", metadata: metadata)
            }
        }
    }

    private func finish(
        _ store: any BatchEvaluationStore, results: BatchEvaluationResults, status: BatchEvaluationStatus, errorDetails: [String], metadata: Logger.Metadata
    ) async throws(Interruption) {
        let now = Timestamp.nowMilliseconds()
        let update = BatchEvaluationUpdate(results: results, finalStatus: status, errorDetails: errorDetails, leaseExpiresAt: now)
        do {
            let finished = try await store.updateBatchEvaluation(id: job.id, owner: configuration.ownerID, update, at: now)
            var metadata = metadata
            metadata["status"] = .string(finished.status.rawValue)
            logger.info("batch evaluation finished", metadata: metadata)
        } catch {
            throw .abandoned("\(StorageError(error))")
        }
    }

    /// The final state for these results.
    private func conclusion(_ results: BatchEvaluationResults, firstError: String?) -> (BatchEvaluationStatus, [String]) {
        if results.totalNumberOfSessions == 0 {
            return (.failed, [
                "No sessions to evaluate: list them in evaluationMetadata.sessionMetadata or dataSourceConfig.cloudWatchLogs.filterConfig.sessionIds (this gateway does not read CloudWatch Logs)",
            ])
        }
        if results.numberOfSessionsFailed == results.totalNumberOfSessions {
            return (.failed, ["All \(results.totalNumberOfSessions) sessions failed" + (firstError.map { ": \($0)" } ?? "")])
        }
        if results.numberOfSessionsFailed > 0 {
            return (.completedWithErrors, ["\(results.numberOfSessionsFailed) of \(results.totalNumberOfSessions) sessions failed" + (firstError.map { ": \($0)" } ?? "")])
        }
        return (.completed, [])
    }

    // MARK: - Scoring

    /// What one session gave.
    private struct SessionOutcome {
        enum Kind { case completed, failed, ignored }
        struct Tally { var evaluated = 0, failed = 0, ignored = 0, score = 0.0 }
        var kind: Kind
        var tallies: [Tally]
        var firstError: String?
    }

    /// How many sessions of a job are scored at once when there is no session delay.
    static let sessionsInFlight = 8

    /// Scores `sessions` with every evaluator of the job and writes (or, when resuming, finds) the eval
    /// run of each pair, all pairs concurrently. The outcomes are in session order.
    ///
    /// A pair that could not be written because the runner is shutting down or the database is
    /// unavailable is not a failed session: the batch is then not counted at all (``Interruption``), and
    /// whoever resumes the job scores it again.
    private func score(sessions: Range<Int>) async throws(Interruption) -> [SessionOutcome] {
        let pairs = await withTaskGroup(of: (Int, Int, Result<PairResult, Interruption>).self) { group in
            for index in sessions {
                for (position, evaluatorID) in job.evaluatorIDs.enumerated() {
                    group.addTask {
                        (index, position, await evalRun(session: job.sessions[index], index: index, evaluatorID: evaluatorID, position: position))
                    }
                }
            }
            return await group.reduce(into: [Int: [Int: Result<PairResult, Interruption>]]()) { $0[$1.0, default: [:]][$1.1] = $1.2 }
        }
        if Task.isCancelled { throw .cancelled }
        return try sessions.map { (index) throws(Interruption) in
            var records: [Int: PairResult] = [:]
            for (position, record) in pairs[index] ?? [:] { records[position] = try record.get() }
            return outcome(of: records)
        }
    }

    /// A session's outcome from the results of its pairs, by evaluator position.
    private func outcome(of records: [Int: PairResult]) -> SessionOutcome {
        var tallies: [SessionOutcome.Tally] = []
        var firstError: String?
        for position in job.evaluatorIDs.indices {
            var tally = SessionOutcome.Tally()
            switch records[position] ?? .ignored {
            case .scored(let score): tally.evaluated = 1; tally.score = score
            case .ignored: tally.ignored = 1
            case .failed(let message):
                tally.failed = 1
                if firstError == nil { firstError = message }
            }
            tallies.append(tally)
        }
        let kind: SessionOutcome.Kind =
            tallies.contains { $0.failed > 0 } ? .failed : tallies.contains { $0.evaluated > 0 } ? .completed : .ignored
        return SessionOutcome(kind: kind, tallies: tallies, firstError: firstError)
    }

    private enum PairResult { case scored(Double), ignored, failed(String) }

    private func evalRun(session: BatchEvaluationSession, index: Int, evaluatorID: String, position: Int) async -> Result<PairResult, Interruption> {
        let runID = BatchEvaluationEvalRun.id(jobID: job.id, session: index, evaluator: position)
        let table = job.evalRunsTable
        let evaluator = evaluators.evaluator(id: evaluatorID)
        let evaluation: Result<SessionEvaluation, any Error>
        if let evaluator {
            do { evaluation = .success(try await evaluator.evaluate(session)) } catch { evaluation = .failure(error) }
        } else {
            evaluation = .success(.ignored(reason: "Evaluator '\(evaluatorID)' has no local implementation in this gateway"))
        }
        let run = BatchEvaluationEvalRun.make(
            id: runID, job: job, session: session, evaluatorID: evaluatorID,
            evalType: evaluator?.evalType ?? .agentAsJudge, evaluation: evaluation, at: Timestamp.now()
        )
        do {
            _ = try await database.store.createEvalRun(run, in: table)
        } catch StorageError.conflict {
            // Written before (a resumed job): what was recorded then counts.
            if let existing = try? await database.store.evalRun(id: runID, in: table) { return .success(Self.result(of: existing)) }
        } catch {
            if error is CancellationError || Task.isCancelled { return .failure(.cancelled) }
            let storageError = StorageError(error)
            if storageError.kind == .unavailable {
                return .failure(.abandoned("the database was unavailable while writing eval runs: \(storageError)"))
            }
            return .success(.failed("The eval run for session '\(session.sessionID)' and evaluator '\(evaluatorID)' could not be written: \(Self.clientMessage(error))"))
        }
        return .success(Self.result(of: run))
    }

    /// The outcome recorded in a written eval run.
    private static func result(of run: EvalRun) -> PairResult {
        let data = try? run.evalData.parsed()
        switch data?["status"] {
        case .string("SCORED")?:
            switch data?["score"] {
            case .number(let score)?: return .scored(score)
            case .integer(let score)?: return .scored(Double(score))
            default: return .ignored
            }
        case .string("ERROR")?:
            if case .string(let message)? = data?["explanation"] { return .failed(message) }
            return .failed("evaluation error")
        default: return .ignored
        }
    }

    /// A message safe to store and show (never a driver's text).
    private static func clientMessage(_ error: any Error) -> String {
        switch StorageError(error) {
        case .notFound(let message), .conflict(let message), .invalid(let message): message
        case .unavailable: "the database is unavailable"
        case .internal: "internal error"
        }
    }
}
