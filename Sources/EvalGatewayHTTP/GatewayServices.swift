public import EvalGatewayCore
public import Logging

/// What the HTTP surfaces share: the databases, the access policy, the request limits and the logger.
public struct GatewayServices: Sendable {
    /// The registered databases and the resolution rules.
    public var catalog: DatabaseCatalog
    /// The bearer tokens.
    public var access: AccessPolicy
    /// Request size limits.
    public var limits: RequestLimits
    /// The server logger.
    public var logger: Logger

    /// Bundles the services.
    public init(catalog: DatabaseCatalog, access: AccessPolicy, limits: RequestLimits = RequestLimits(), logger: Logger) {
        self.catalog = catalog
        self.access = access
        self.limits = limits
        self.logger = logger
    }
}

/// Request size limits (`limits` in configuration). Exceeding one answers 413.
public struct RequestLimits: Sendable, Equatable {
    /// The most ids one bulk delete may carry.
    public var maxIDsPerRequest: Int
    /// The largest request body, in bytes.
    public var maxBodyBytes: Int

    /// Creates limits; the defaults are those of the shipped configuration.
    public init(maxIDsPerRequest: Int = 1_000_000, maxBodyBytes: Int = 64 * 1024 * 1024) {
        self.maxIDsPerRequest = maxIDsPerRequest
        self.maxBodyBytes = maxBodyBytes
    }
}
