import EvalGatewayCore

/// The AgentCore wire shapes of a job, with members in the botocore model's order and timestamps as
/// ISO-8601 with milliseconds.
enum BatchEvaluationWire {
    /// `StartBatchEvaluationResponse`.
    static func writeStarted(_ job: BatchEvaluation, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("batchEvaluationId"); writer.write(job.id)
        writer.key("batchEvaluationArn"); writer.write(job.arn)
        writer.key("batchEvaluationName"); writer.write(job.name)
        writeEvaluators(job, to: &writer)
        writer.key("status"); writer.write(job.status.rawValue)
        writer.key("createdAt"); writer.write(Timestamp.iso8601(milliseconds: job.createdAt))
        if let description = job.description { writer.key("description"); writer.write(description) }
        writer.endObject()
    }

    /// `GetBatchEvaluationResponse`.
    static func writeDetail(_ job: BatchEvaluation, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("batchEvaluationId"); writer.write(job.id)
        writer.key("batchEvaluationArn"); writer.write(job.arn)
        writer.key("batchEvaluationName"); writer.write(job.name)
        writer.key("status"); writer.write(job.status.rawValue)
        writer.key("createdAt"); writer.write(Timestamp.iso8601(milliseconds: job.createdAt))
        writeEvaluators(job, to: &writer)
        writer.key("dataSourceConfig"); writer.write(job.dataSourceConfig)
        writer.key("evaluationResults"); writeResults(job.results, to: &writer)
        writeErrorDetails(job, to: &writer)
        if let description = job.description { writer.key("description"); writer.write(description) }
        writer.key("updatedAt"); writer.write(Timestamp.iso8601(milliseconds: job.updatedAt))
        writer.endObject()
    }

    /// `BatchEvaluationSummary` (an item of ListBatchEvaluations).
    static func writeSummary(_ job: BatchEvaluation, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("batchEvaluationId"); writer.write(job.id)
        writer.key("batchEvaluationArn"); writer.write(job.arn)
        writer.key("batchEvaluationName"); writer.write(job.name)
        writer.key("status"); writer.write(job.status.rawValue)
        writer.key("createdAt"); writer.write(Timestamp.iso8601(milliseconds: job.createdAt))
        if let description = job.description { writer.key("description"); writer.write(description) }
        writeEvaluators(job, to: &writer)
        writer.key("evaluationResults"); writeResults(job.results, to: &writer)
        writeErrorDetails(job, to: &writer)
        writer.key("updatedAt"); writer.write(Timestamp.iso8601(milliseconds: job.updatedAt))
        writer.endObject()
    }

    /// `StopBatchEvaluationResponse`.
    static func writeStopped(_ job: BatchEvaluation, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("batchEvaluationId"); writer.write(job.id)
        writer.key("batchEvaluationArn"); writer.write(job.arn)
        writer.key("status"); writer.write(job.status.rawValue)
        if let description = job.description { writer.key("description"); writer.write(description) }
        writer.endObject()
    }

    /// `DeleteBatchEvaluationResponse`.
    static func writeDeleted(_ deletion: BatchEvaluationDeletion, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("batchEvaluationId"); writer.write(deletion.id)
        writer.key("batchEvaluationArn"); writer.write(deletion.arn)
        writer.key("status"); writer.write(deletion.status.rawValue)
        writer.endObject()
    }

    private static func writeEvaluators(_ job: BatchEvaluation, to writer: inout JSONWriter) {
        writer.key("evaluators")
        writer.beginArray()
        for id in job.evaluatorIDs {
            writer.beginObject()
            writer.key("evaluatorId"); writer.write(id)
            writer.endObject()
        }
        writer.endArray()
    }

    private static func writeErrorDetails(_ job: BatchEvaluation, to writer: inout JSONWriter) {
        guard !job.errorDetails.isEmpty else { return }
        writer.key("errorDetails")
        writer.write(strings: job.errorDetails.prefix(1).map { String($0.prefix(1000)) })
    }

    /// `EvaluationJobResults`.
    static func writeResults(_ results: BatchEvaluationResults, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("numberOfSessionsCompleted"); writer.write(results.numberOfSessionsCompleted)
        writer.key("numberOfSessionsInProgress"); writer.write(results.numberOfSessionsInProgress)
        writer.key("numberOfSessionsFailed"); writer.write(results.numberOfSessionsFailed)
        writer.key("totalNumberOfSessions"); writer.write(results.totalNumberOfSessions)
        writer.key("numberOfSessionsIgnored"); writer.write(results.numberOfSessionsIgnored)
        writer.key("evaluatorSummaries")
        writer.beginArray()
        for summary in results.evaluatorSummaries {
            writer.beginObject()
            writer.key("evaluatorId"); writer.write(summary.evaluatorID)
            writer.key("statistics")
            writer.beginObject()
            if let average = summary.averageScore { writer.key("averageScore"); writer.write(average) }
            writer.endObject()
            writer.key("totalEvaluated"); writer.write(summary.totalEvaluated)
            writer.key("totalFailed"); writer.write(summary.totalFailed)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}
