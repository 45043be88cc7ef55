public import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-Id`: the request id, taken from the client or generated, returned on every response.
    public static let xRequestID = HTTPField.Name("X-Request-Id")!
    /// `X-Deleted-Count`: the number of rows a bulk delete removed.
    public static let xDeletedCount = HTTPField.Name("X-Deleted-Count")!
    /// `Prefer` (RFC 7240).
    public static let prefer = HTTPField.Name("Prefer")!
    /// `Preference-Applied` (RFC 7240).
    public static let preferenceApplied = HTTPField.Name("Preference-Applied")!
}

extension HTTPResponse.Status {
    /// 207 Multi-Status (RFC 4918): the answer of a fan-out in which some databases failed.
    public static let multiStatus = HTTPResponse.Status(code: 207, reasonPhrase: "Multi-Status")
}
