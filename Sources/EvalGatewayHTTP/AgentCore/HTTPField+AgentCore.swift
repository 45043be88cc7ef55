public import HTTPTypes

extension HTTPField.Name {
    /// `x-amzn-ErrorType`: the exception name of an AWS rest-json error.
    public static let xAmznErrorType = HTTPField.Name("x-amzn-ErrorType")!
    /// `x-amzn-RequestId`: the request id, where AWS SDKs read it.
    public static let xAmznRequestID = HTTPField.Name("x-amzn-RequestId")!
    /// `X-Amz-Date`: a SigV4-signed request's time, `yyyyMMdd'T'HHmmss'Z'`.
    public static let xAmzDate = HTTPField.Name("X-Amz-Date")!
    /// `x-amz-content-sha256`: the SHA-256 of the body, as a SigV4 client declares it.
    public static let xAmzContentSHA256 = HTTPField.Name("x-amz-content-sha256")!
}
