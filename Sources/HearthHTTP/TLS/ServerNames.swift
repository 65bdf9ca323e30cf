import Foundation
import SwiftASN1
import X509

/// The names a server certificate covers: DNS names (`*.` wildcards allowed) and IP addresses.
public struct ServerNames: Sendable, Equatable {
    public var dnsNames: [String]
    public var ipAddresses: [String]

    public init(dnsNames: [String] = [], ipAddresses: [String] = []) {
        self.dnsNames = Self.unique(dnsNames.map { $0.lowercased() })
        self.ipAddresses = Self.unique(ipAddresses.filter { Self.addressBytes($0) != nil })
    }

    /// The node's names: its domain and `*.<domain>`, `localhost`, the loopback addresses, and
    /// what it listens on when that is one specific IP address (not `0.0.0.0` or `::`) or a name.
    public static func node(domain: String, host: String) -> ServerNames {
        var names = [domain, "*.\(domain)", "localhost"]
        var addresses = ["127.0.0.1", "::1"]
        if let bytes = addressBytes(host) {
            if bytes.contains(where: { $0 != 0 }) { addresses.append(host) }
        } else if !host.isEmpty {
            names.append(host)
        }
        return ServerNames(dnsNames: names, ipAddresses: addresses)
    }

    /// The subject alternative names of a certificate for these names.
    var generalNames: [GeneralName] {
        dnsNames.map { .dnsName($0) }
            + ipAddresses.compactMap { Self.addressBytes($0) }.map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
    }

    /// Whether `certificate` lists exactly these names, no more and no fewer.
    func areExactly(in certificate: Certificate) -> Bool {
        guard let listed = try? certificate.extensions.subjectAlternativeNames else { return false }
        var dns = Set<String>()
        var addresses = Set<[UInt8]>()
        for name in listed {
            switch name {
            case .dnsName(let value): dns.insert(value.lowercased())
            case .ipAddress(let value): addresses.insert(Array(value.bytes))
            default: continue
            }
        }
        return dns == Set(dnsNames) && addresses == Set(ipAddresses.compactMap(Self.addressBytes))
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address (brackets allowed); `nil` for anything else.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var address = text
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
