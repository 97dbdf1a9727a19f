import HTTPTypes
import Hummingbird
import NIOCore

@testable import HummingbirdTesting

/// The live test server's client with a long answer timeout (120 s): HummingbirdTesting's `.live`
/// client gives up after 20 s, which a machine running the whole suite in parallel can exceed
/// without anything being wrong. A hang still fails the test, later.
struct PatientLiveClient: TestClientProtocol {
    let client: TestClient

    init(port: Int) {
        self.client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(120)))
        self.client.connect()
    }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        headers[.connection] = "keep-alive"
        let request = TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body)
        let response = try await self.client.execute(request)
        return TestResponse(head: response.head, body: response.body ?? ByteBuffer(), trailerHeaders: response.trailerHeaders)
    }

    var port: Int? { self.client.port }

    func shutdown() async throws {
        try await self.client.shutdown()
    }
}
