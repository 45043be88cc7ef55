import EvalGatewayCore
import Testing

/// A principal printed or logged by mistake shows who it is, never its secret.
@Suite struct AccessTokenTests {
    @Test func printingATokenHidesItsSecret() {
        let token = AccessToken(name: "ci-reader", secret: "s3cr3t-value", scopes: [.read], databases: ["local"])
        let credential = SigV4Credential(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalr-secret", scopes: [.admin], databases: ["*"])
        for text in ["\(token)", String(reflecting: token), "\([token])", "\(credential)", String(reflecting: credential)] {
            #expect(!text.contains("s3cr3t-value") && !text.contains("wJalr-secret"), "\(text)")
        }
        #expect("\(token)".contains("ci-reader"))
    }
}
