import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import HearthHTTP

/// Which destinations the outbound proxy refuses, and how proxy requests are read.
@Suite("Outbound policy")
struct OutboundPolicyTests {
    static func address(_ ip: String) -> SocketAddress { try! SocketAddress(ipAddress: ip, port: 443) }

    @Test(
        "Addresses leading back to this machine or its link are refused",
        arguments: [
            ("127.0.0.1", .loopback), ("127.255.255.254", .loopback), ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified),
            ("169.254.169.254", .linkLocal), ("169.254.0.1", .linkLocal), ("224.0.0.1", .multicast),
            ("239.255.255.250", .multicast), ("255.255.255.255", .broadcast), ("::1", .loopback), ("::", .unspecified),
            ("fe80::1", .linkLocal), ("febf:ffff::1", .linkLocal), ("ff02::1", .multicast), ("::ffff:127.0.0.1", .loopback),
            ("::ffff:169.254.169.254", .linkLocal), ("::ffff:0.0.0.0", .unspecified), ("::ffff:224.0.0.251", .multicast),
            ("::127.0.0.1", .loopback), ("64:ff9b::7f00:1", .loopback), ("64:ff9b::a9fe:a9fe", .linkLocal),
        ] as [(String, AddressClass)])
    func refused(ip: String, kind: AddressClass) {
        #expect(AddressClass.refused(Self.address(ip), local: []) == kind)
    }

    @Test(
        "Other addresses may be reached",
        arguments: [
            "8.8.8.8", "1.1.1.1", "192.168.1.10", "10.0.0.1", "126.255.255.255", "128.0.0.1", "169.253.1.1", "223.255.255.255",
            "2606:4700:4700::1111", "::ffff:8.8.8.8", "fec0::1", "fc00::1", "64:ff9b::808:808",
        ])
    func reachable(ip: String) {
        #expect(AddressClass.refused(Self.address(ip), local: []) == nil)
    }

    @Test("The addresses of this machine's interfaces are refused, in any form")
    func thisMachine() throws {
        let local = [Self.address("10.1.2.3"), Self.address("2001:db8::5")]
        for ip in ["10.1.2.3", "::ffff:10.1.2.3", "2001:db8::5"] {
            #expect(AddressClass.refused(Self.address(ip), local: local) == .thisMachine, "\(ip)")
        }
        #expect(AddressClass.refused(Self.address("10.1.2.4"), local: local) == nil)
    }

    @Test("Vetting resolves names and refuses this machine's own addresses")
    func vetting() throws {
        let policy = try OutboundPolicy()
        for host in ["localhost", "127.0.0.1", "::1"] {
            guard case .failure(let refusal) = policy.vet(ProxyTarget(host: host, port: 80)) else {
                Issue.record("\(host) was not refused")
                continue
            }
            #expect(refusal.status == .forbidden)
            #expect(refusal.reason.contains("loopback"), "\(refusal.reason)")
        }
        let interfaces = try System.enumerateDevices().compactMap(\.address).compactMap(\.ipAddress)
        for ip in interfaces where AddressClass.refused(Self.address(ip), local: []) == nil {
            guard case .failure(let refusal) = policy.vet(ProxyTarget(host: ip, port: 80)) else {
                Issue.record("\(ip) was not refused")
                continue
            }
            #expect(refusal.reason.contains("this machine"), "\(refusal.reason)")
        }
        guard case .failure(let refusal) = policy.vet(ProxyTarget(host: "nowhere.invalid", port: 80)) else {
            Issue.record("nowhere.invalid resolved")
            return
        }
        #expect(refusal.status == .badGateway)
    }

    @Test("The allow-list lets named endpoints through, on their port only")
    func allowList() throws {
        let policy = try OutboundPolicy(allowList: ["127.0.0.1:8080", "[::1]:8080", "DB.lan.:5432"])
        let loopback = [Self.address("127.0.0.1"), Self.address("::1")]
        #expect(try policy.decide(ProxyTarget(host: "127.0.0.1", port: 8080), resolved: [loopback[0]], local: []).get() == [loopback[0]])
        #expect(try policy.decide(ProxyTarget(host: "::1", port: 8080), resolved: [loopback[1]], local: []).get() == [loopback[1]])
        #expect(try policy.decide(ProxyTarget(host: "db.lan", port: 5432), resolved: loopback, local: []).get() == loopback)
        // A name resolving to an allowed address and port is allowed for that address only.
        #expect(try policy.decide(ProxyTarget(host: "localhost", port: 8080), resolved: loopback, local: []).get() == loopback)
        for (host, port) in [("127.0.0.1", 8081), ("db.lan", 5433), ("other.lan", 5432)] {
            #expect(throws: OutboundRefusal.self) {
                try policy.decide(ProxyTarget(host: host, port: port), resolved: loopback, local: []).get()
            }
        }
        for entry in ["nope", "host:0", "host:99999", "[::1", "[::1]", "a b:80", "::1:80", "http://h:80", "[h]:80", ":80"] {
            #expect(throws: OutboundPolicy.InvalidEntry.self, "\(entry)") { try OutboundPolicy(allowList: [entry]) }
        }
    }

    @Test("Of a name's addresses, the refused ones are left out; with none left the first reason is given")
    func mixedResolution() throws {
        let policy = try OutboundPolicy()
        let target = ProxyTarget(host: "mixed.example", port: 443)
        let outside = Self.address("93.184.216.34")
        let resolved = [Self.address("127.0.0.1"), outside, Self.address("169.254.169.254")]
        #expect(try policy.decide(target, resolved: resolved, local: []).get() == [outside])
        let refusal = OutboundRefusal(status: .forbidden, reason: "mixed.example (127.0.0.1) is a loopback address")
        #expect(policy.decide(target, resolved: [resolved[0], resolved[2]], local: []) == .failure(refusal))
    }

    @Test(
        "Request targets: CONNECT authorities and absolute http URLs",
        arguments: [
            ("example.com:443", "example.com:443", nil), ("EXAMPLE.com.:8443", "example.com:8443", nil),
            ("[2001:DB8::1]:443", "[2001:db8::1]:443", nil), ("http://Example.COM/a?b=1", "example.com:80", "/a?b=1"),
            ("HTTP://h:8080", "h:8080", "/"), ("http://h?x=1#frag", "h:80", "/?x=1"), ("http://[::1]:81/p#f", "[::1]:81", "/p"),
            ("http://10.0.0.1:/", "10.0.0.1:80", "/"),
        ] as [(String, String, String?)])
    func targets(uri: String, target: String, path: String?) {
        if let path {
            let parsed = ProxyTarget.absolute(uri)
            #expect(parsed?.target.description == target)
            #expect(parsed?.path == path)
        } else {
            #expect(ProxyTarget(authority: Substring(uri))?.description == target)
        }
    }

    @Test(
        "Malformed request targets are not proxy requests",
        arguments: [
            "https://h/", "http://u@h/", "http://h:0/", "http://h:x/", "http://", "ftp://h/", "/path", "http://a..b/", "http://-%/",
        ])
    func badTargets(uri: String) {
        #expect(ProxyTarget.absolute(uri) == nil)
    }

    @Test("A forwarded head has the target's Host, its framing, and no hop-by-hop headers")
    func forwardedHead() {
        let head = HTTPRequestHead(
            version: .http1_1, method: .POST, uri: "http://h:81/x",
            headers: [
                "Host": "else", "Transfer-Encoding": "chunked", "TE": "trailers", "Connection": "X-A, keep-alive", "X-A": "1",
                "Proxy-Authorization": "b", "Upgrade": "websocket", "Cookie": "c=1",
            ])
        let forwarded = head.forwarded(to: ProxyTarget(host: "h", port: 81), path: "/x")
        #expect(forwarded.uri == "/x")
        #expect(
            forwarded.headers.map { "\($0.name): \($0.value)" } == [
                "Host: h:81", "Cookie: c=1", "Transfer-Encoding: chunked", "Connection: close",
            ])
    }
}
