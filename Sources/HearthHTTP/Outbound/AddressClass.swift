import NIOCore

/// The kinds of address a sandboxed app may not reach through the outbound proxy: they lead back
/// to this machine (the node, other instances' services) or to its link (cloud metadata).
enum AddressClass: Equatable, Sendable {
    case loopback, unspecified, linkLocal, multicast, broadcast, thisMachine

    var description: String {
        switch self {
        case .loopback: "a loopback address"
        case .unspecified: "an unspecified address"
        case .linkLocal: "a link-local address"
        case .multicast: "a multicast address"
        case .broadcast: "a broadcast address"
        case .thisMachine: "an address of this machine"
        }
    }

    /// The class of `address` that makes it refused, or nil when it may be reached.
    /// `local` holds the addresses of this machine's interfaces.
    static func refused(_ address: SocketAddress, local: [SocketAddress]) -> AddressClass? {
        guard let bytes = address.effectiveIPBytes else { return .unspecified }
        if let kind = refused(bytes) { return kind }
        return local.contains { $0.effectiveIPBytes == bytes } ? .thisMachine : nil
    }

    /// The refused class of an IPv4 (4 bytes) or IPv6 (16 bytes) address, embedded IPv4 already unwrapped.
    static func refused(_ bytes: [UInt8]) -> AddressClass? {
        if bytes.count == 4 {
            switch bytes[0] {
            case 127: return .loopback
            case 0: return .unspecified  // 0.0.0.0/8, "this network": Linux connects it to the machine itself
            case 169 where bytes[1] == 254: return .linkLocal  // includes 169.254.169.254, cloud metadata
            case 224...239: return .multicast
            case 255 where bytes == [255, 255, 255, 255]: return .broadcast
            default: return nil
            }
        }
        guard bytes.count == 16 else { return .unspecified }
        if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return .linkLocal }  // fe80::/10
        if bytes[0] == 0xff { return .multicast }
        return nil
    }
}

extension SocketAddress {
    /// The address's IP bytes, with an IPv4 address embedded in IPv6 (mapped `::ffff:a.b.c.d`,
    /// compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) unwrapped to its 4 bytes, so each form is judged as
    /// what it reaches. Nil for Unix domain addresses.
    var effectiveIPBytes: [UInt8]? {
        switch self {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            let prefix = Array(bytes[0..<12])
            let embedsIPv4 =
                prefix == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
                || prefix == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
                || (prefix.allSatisfy { $0 == 0 } && !(bytes[12..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1))  // not :: or ::1
            return embedsIPv4 ? Array(bytes[12..<16]) : bytes
        case .unixDomainSocket:
            return nil
        }
    }
}
