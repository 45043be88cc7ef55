import EvalGatewayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A thin HTTP client of a running gateway, for the client subcommands (URLSession; no SDK).
struct GatewayClient {
    let endpoint: URL
    let token: String?
    let databaseID: String?
    let table: String?

    /// A response: status and body.
    struct Reply {
        var status: Int
        var body: Data

        /// The body as a JSON object, if it is one.
        var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    /// Why a call failed, as one sentence for the user.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `method` to `path` (already percent-encoded) with `query` items and an optional JSON body;
    /// returns the reply if it is a 2xx, else throws a ``Failure`` with the gateway's message.
    func send(_ method: String, path: String, query: [URLQueryItem] = [], body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)
        let basePath = components?.percentEncodedPath ?? ""
        components?.percentEncodedPath = (basePath.hasSuffix("/") ? String(basePath.dropLast()) : basePath) + path
        var items = query
        if let databaseID, !databaseID.isEmpty { items.append(URLQueryItem(name: "db_id", value: databaseID)) }
        if let table, !table.isEmpty { items.append(URLQueryItem(name: "table", value: table)) }
        if !items.isEmpty {
            components?.percentEncodedQuery = items.map { item in
                "\(Self.encode(item.name))=\(Self.encode(item.value ?? ""))"
            }.joined(separator: "&")
        }
        guard let url = components?.url else { throw Failure(description: "invalid endpoint '\(endpoint)'") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token, !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw Failure(description: "cannot reach the gateway at \(endpoint.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let reply = Reply(status: status, body: data)
        guard (200..<300).contains(status) else {
            let object = reply.object
            let message = object?["message"] as? String ?? object?["detail"] as? String ?? String(decoding: data, as: UTF8.self)
            let type = object?["__type"] as? String
            throw Failure(description: type.map { "\($0): \(message)" } ?? "HTTP \(status): \(message)")
        }
        return reply
    }

    /// Percent-encodes a path segment or query component (everything but unreserved characters).
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
