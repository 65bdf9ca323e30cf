import Foundation

/// Where a node serving HTTPS (`hearth serve --tls`) gets its certificate.
public enum TLSSource: Sendable, Equatable {
    /// The node's own local authority (`<data>/tls/`) issues a certificate for its domain,
    /// `*.<domain>`, its loopback addresses and, per connection, each instance host.
    case localAuthority
    /// A certificate chain and its private key, as PEM files (`--tls-cert`, `--tls-key`).
    case given(certificate: URL, key: URL)
}
