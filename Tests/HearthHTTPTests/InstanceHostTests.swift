import HearthRuntime
import Testing

@testable import HearthHTTP

/// Which requests belong to an instance host.
@Suite("Instance hosts")
struct InstanceHostTests {
    @Test(
        "A host under the node's domain names an instance label; deeper names match no instance",
        arguments: [
            ("notes.localhost:4200", "notes"),
            ("Notes.LocalHost:4200", "notes"),
            ("notes.localhost", "notes"),
            ("notes.localhost.:80", "notes"),
            ("localhost:4200", nil),
            ("127.0.0.1:4200", nil),
            ("a.b.localhost:4200", "a.b"),
            (".localhost:4200", nil),
            ("notes.example.com", nil),
            ("evil-localhost:4200", nil),
        ] as [(String, String?)])
    func slug(host: String, expected: String?) {
        #expect(NodeAddress(domain: "localhost").instanceLabel(ofHost: host) == expected)
    }
}
