/// AWS SigV4 verification (`auth.sigv4` in configuration): which access keys may sign requests, in
/// which region, and how far a request's date may be from the gateway's clock.
public struct SigV4Configuration: Sendable, Equatable {
    /// The service name a credential scope must name (`…/<region>/bedrock-agentcore/aws4_request`).
    public static let service = "bedrock-agentcore"
    /// AWS's limit on clock skew: 15 minutes.
    public static let defaultMaxClockSkewSeconds = 900

    /// The access keys, each mapped to a principal.
    public var credentials: [SigV4Credential]
    /// When set, only signatures scoped to this region are accepted; otherwise any region is.
    public var region: String?
    /// The largest accepted difference, in seconds, between `X-Amz-Date` and the gateway's clock.
    public var maxClockSkewSeconds: Int

    /// Creates a configuration.
    public init(credentials: [SigV4Credential], region: String? = nil, maxClockSkewSeconds: Int = SigV4Configuration.defaultMaxClockSkewSeconds) {
        self.credentials = credentials
        self.region = region
        self.maxClockSkewSeconds = maxClockSkewSeconds
    }
}
