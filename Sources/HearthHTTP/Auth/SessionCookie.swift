import HTTPTypes
import Hummingbird

/// Hearth's cookies: the session cookie of each host and the dashboard's CSRF cookie. Both are
/// host-only (no `Domain`), so no instance host ever receives another's or the dashboard's;
/// `HttpOnly`, `SameSite=Lax`, and under TLS `Secure` with the `__Host-` prefix.
struct SessionCookie: Sendable {
    let secure: Bool

    var session: String { secure ? "__Host-hearth_session" : "hearth_session" }
    var csrf: String { secure ? "__Host-hearth_csrf" : "hearth_csrf" }

    /// Every name Hearth's cookies can have; micros never see or set them.
    static let reservedNames: Set<String> = ["hearth_session", "__Host-hearth_session", "hearth_csrf", "__Host-hearth_csrf"]

    /// A `Set-Cookie` value for `name`; `maxAge` 0 deletes the cookie.
    func header(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// The value of a cookie the request carries.
    static func value(_ name: String, in request: Request) -> String? {
        for field in request.headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let pair = pair.drop { $0 == " " }
                guard let equals = pair.firstIndex(of: "="), pair[..<equals] == name else { continue }
                return String(pair[pair.index(after: equals)...])
            }
        }
        return nil
    }

    /// The request's `Cookie` header without Hearth's cookies; `nil` if nothing else is left.
    static func withoutReserved(_ header: String) -> String? {
        let kept = header.split(separator: ";").filter { pair in
            let name = pair.drop { $0 == " " }.prefix { $0 != "=" }
            return !reservedNames.contains(String(name))
        }
        return kept.isEmpty ? nil : kept.map { $0.drop { $0 == " " } }.joined(separator: "; ")
    }

    /// A micro's `Set-Cookie` made safe: `nil` for one of Hearth's names, else without any
    /// `Domain` attribute, so it stays on the instance's own host.
    static func sanitizedSetCookie(_ value: String) -> String? {
        let parts = value.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        let name = first.trimmingCharacters(in: .whitespaces).prefix { $0 != "=" }
        guard !reservedNames.contains(String(name)) else { return nil }
        return parts.filter { !$0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("domain=") }.joined(separator: ";")
    }
}
