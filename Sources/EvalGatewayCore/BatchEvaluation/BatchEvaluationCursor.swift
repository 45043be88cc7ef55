/// A position in the list of jobs, which is ordered by `createdAt` descending, then `id` descending.
/// A page after a cursor holds the jobs strictly after it in that order, so jobs created or deleted
/// meanwhile never shift a page.
public struct BatchEvaluationCursor: Sendable, Hashable {
    /// The `createdAt` of the last job of the previous page (epoch milliseconds).
    public var createdAt: Int64
    /// The `id` of that job.
    public var id: String

    /// Creates a cursor.
    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// Whether `job` comes after this cursor in list order.
    public func precedes(_ job: BatchEvaluation) -> Bool {
        job.createdAt < createdAt || (job.createdAt == createdAt && job.id < id)
    }
}

/// One page of jobs and, when more follow, the cursor of the next page.
public struct BatchEvaluationPage: Sendable {
    /// The jobs, newest first.
    public var jobs: [BatchEvaluation]
    /// Where the next page starts; `nil` on the last page.
    public var next: BatchEvaluationCursor?

    /// Creates a page.
    public init(jobs: [BatchEvaluation], next: BatchEvaluationCursor?) {
        self.jobs = jobs
        self.next = next
    }
}
