public import HTTPTypes

extension HTTPField.Name {
    /// `x-amzn-ErrorType`: the exception name of an AWS rest-json error.
    public static let xAmznErrorType = HTTPField.Name("x-amzn-ErrorType")!
    /// `x-amzn-RequestId`: the request id, where AWS SDKs read it.
    public static let xAmznRequestID = HTTPField.Name("x-amzn-RequestId")!
}
