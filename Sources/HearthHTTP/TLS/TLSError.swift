import HearthCore

/// A certificate or key that cannot be used, or TLS files that cannot be written. Its message
/// names the file: it is shown to the node's operator at start, never to a client.
public typealias TLSError = ModuleError<TLSFiles>

extension ModuleError where Domain == TLSFiles {
    /// A file could not be read or written.
    public static var storage: ErrorCode { "tls.storage" }
    /// A file is not a PEM certificate or key this node can use.
    public static var invalid: ErrorCode { "tls.invalid" }
    /// The key does not belong to the certificate.
    public static var mismatch: ErrorCode { "tls.mismatch" }
    /// The certificate is expired or not valid yet.
    public static var expired: ErrorCode { "tls.expired" }
}
