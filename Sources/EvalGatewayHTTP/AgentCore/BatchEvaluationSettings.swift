/// How the AgentCore surface names and pages jobs (`batch` in configuration).
public struct BatchEvaluationSettings: Sendable, Equatable {
    /// The region in job ARNs when the request is not SigV4-signed (a signed request's credential scope
    /// names its own region).
    public var region: String
    /// The account id in job ARNs.
    public var accountID: String
    /// The page size of ListBatchEvaluations when the request gives no `maxResults`.
    public var defaultMaxResults: Int

    /// Creates settings; the defaults are those of the shipped configuration.
    public init(region: String = "us-east-1", accountID: String = "000000000000", defaultMaxResults: Int = 10) {
        self.region = region
        self.accountID = accountID
        self.defaultMaxResults = defaultMaxResults
    }
}
