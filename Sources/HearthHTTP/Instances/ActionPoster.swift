import HearthRuntime
import NIOCore
import NIOHTTP1

/// Delivers scheduled actions to micros over the node's upstream pool.
struct ActionPoster: ActionDelivery {
    let pool: UpstreamPool
    let timeout: TimeAmount

    func deliver(_ body: String, to endpoint: MicroEndpoint) async throws -> (status: Int, body: String) {
        let headers: HTTPHeaders = ["Host": "127.0.0.1:\(endpoint.port)", "Content-Type": "application/json"]
        let request = UpstreamRequest(method: .POST, target: "/__space/v0/actions", headers: headers, body: ByteBuffer(string: body))
        let response = try await pool.execute(request, to: endpoint, timeout: timeout)
        let answer = try await response.collect(upTo: 64 * 1024)
        return (Int(response.head.status.code), String(buffer: answer).prefix(200).description)
    }
}
