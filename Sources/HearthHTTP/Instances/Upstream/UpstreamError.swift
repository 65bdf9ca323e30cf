import HearthCore

/// A request to a micro that got no complete answer.
typealias UpstreamError = ModuleError<UpstreamPool>

extension ModuleError where Domain == UpstreamPool {
    /// No connection could be made (nothing listens on the port): nothing was sent.
    static var connectFailed: ErrorCode { "upstream.connect_failed" }
    /// The connection closed before the response began (the micro, or a kept-alive connection it dropped).
    static var closed: ErrorCode { "upstream.closed" }
    /// The micro did not answer, or stopped sending its body, within the request timeout.
    static var timedOut: ErrorCode { "upstream.timed_out" }
    /// The micro's answer is not valid HTTP/1.1.
    static var badResponse: ErrorCode { "upstream.bad_response" }
}
