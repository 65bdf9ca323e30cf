import AsyncHTTPClient
import HearthRuntime
import NIOCore

/// Delivers scheduled actions to micros over the node's upstream HTTP client.
struct ActionPoster: ActionDelivery {
    let upstream: UpstreamClient
    let timeout: TimeAmount

    func deliver(_ body: String, toPort port: Int) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/__space/v0/actions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await upstream.client.execute(request, timeout: timeout)
        let answer = try await response.body.collect(upTo: 64 * 1024)
        return (Int(response.status.code), String(buffer: answer).prefix(200).description)
    }
}
