import HearthCore
import HearthRegistry
import HearthTesting
import Testing

@testable import HearthHTTP

@Suite("Sign-in parts")
struct SignInPartsTests {
    @Test func theThrottleCountsFailuresPerAddressAndPerAccountOverAWindow() {
        let clock = ManualClock()
        var settings = AuthSettings()
        settings.failuresPerAddress = 3
        settings.failuresPerAccount = 5
        settings.failureWindow = 600
        let throttle = LoginThrottle(settings: settings, clock: clock.clock)
        for _ in 0..<3 {
            #expect(throttle.check(address: "10.0.0.1", account: "alice") == nil)
            throttle.fail(address: "10.0.0.1", account: "alice")
            clock.advance(10)
        }
        #expect(throttle.check(address: "10.0.0.1", account: "bob") == .init(reason: .address, retryAfter: 570))
        #expect(throttle.check(address: "10.0.0.2", account: "alice") == nil)
        throttle.fail(address: "10.0.0.2", account: "Alice")
        throttle.fail(address: "10.0.0.3", account: "alice")
        #expect(throttle.check(address: "10.0.0.4", account: "ALICE")?.reason == .account)
        throttle.succeed(account: "alice")
        #expect(throttle.check(address: "10.0.0.4", account: "alice") == nil)
        clock.advance(600)
        #expect(throttle.check(address: "10.0.0.1", account: "alice") == nil)
    }

    @Test func aHandoffTokenWorksOnceForItsInstanceWithinItsLifetime() {
        let clock = ManualClock()
        let tokens = HandoffTokens(lifetime: 60, clock: clock.clock)
        let session = SessionInfo(
            id: "s1", space: "default", address: "", agent: "", createdAt: .now, lastSeenAt: .now, expiresAt: .now, revokedAt: nil)
        let first = tokens.issue(for: session, instance: "a")
        #expect(tokens.redeem(first, instance: "b") == nil)
        #expect(tokens.redeem(first, instance: "a") == nil, "a token tried on another instance is spent")
        let second = tokens.issue(for: session, instance: "a")
        #expect(tokens.redeem(second, instance: "a") == session)
        #expect(tokens.redeem(second, instance: "a") == nil)
        let late = tokens.issue(for: session, instance: "a")
        clock.advance(61)
        #expect(tokens.redeem(late, instance: "a") == nil)
    }

    @Test func microsNeitherSeeNorSetHearthsCookies() {
        #expect(SessionCookie.withoutReserved("hearth_session=abc; theme=dark; hearth_csrf=x") == "theme=dark")
        #expect(SessionCookie.withoutReserved("__Host-hearth_session=abc") == nil)
        #expect(SessionCookie.sanitizedSetCookie("hearth_session=evil; Path=/") == nil)
        #expect(SessionCookie.sanitizedSetCookie(" __Host-hearth_csrf=evil") == nil)
        #expect(SessionCookie.sanitizedSetCookie("id=1; Domain=localhost; Path=/; HttpOnly") == "id=1; Path=/; HttpOnly")
        #expect(SessionCookie.sanitizedSetCookie("id=1;domain=.localhost") == "id=1")
    }

    @Test func cookiesAreHostOnlyAndSecureUnderTLS() {
        let plain = SessionCookie(secure: false)
        #expect(plain.header(plain.session, "t", maxAge: 60) == "hearth_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Lax")
        let tls = SessionCookie(secure: true)
        #expect(tls.header(tls.session, "t", maxAge: 0) == "__Host-hearth_session=t; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure")
    }

    @Test(
        "Redirects after sign-in stay on the node",
        arguments: [
            ("/apps", "/apps"), ("/open?to=x", "/open?to=x"), ("//evil.example/", "/"), ("https://evil.example/", "/"),
            ("/\\evil.example", "/"), ("", "/"), ("/a\r\nSet-Cookie: x", "/"),
        ])
    func safePaths(next: String, expected: String) {
        #expect(Redirects.safePath(next) == expected)
    }

    @Test func instanceURLsSplitIntoAuthorityAndPath() {
        let url = InstanceURL("http://notes.localhost:4200/a/b?c=d#frag")
        #expect(url?.authority == "notes.localhost:4200" && url?.pathAndQuery == "/a/b?c=d")
        #expect(InstanceURL("https://notes.localhost")?.pathAndQuery == "/")
        #expect(InstanceURL("http://user@evil.example@notes.localhost/") == nil)
        #expect(InstanceURL("javascript:alert(1)") == nil)
        #expect(InstanceURL("/relative") == nil)
    }
}
