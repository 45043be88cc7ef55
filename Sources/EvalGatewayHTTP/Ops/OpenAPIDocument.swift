import NIOCore

/// The OpenAPI 3.1 description of the routes, served at `GET /openapi.json` exactly as written in
/// `Resources/openapi.json`: the Agno eval-runs routes, the AgentCore batch-evaluation routes (shapes of
/// the botocore `bedrock-agentcore` model, with AWS's error bodies), and the operational routes.
///
/// The file is a SwiftPM resource embedded in the binary at build time, so the executable needs no
/// resource bundle beside it. Tests check that every registered route is described there and that the
/// routes' real answers match its schemas.
enum OpenAPIDocument {
    /// The document's bytes, as in the resource file.
    static let json = ByteBuffer(bytes: PackageResources.openapi_json)
}
