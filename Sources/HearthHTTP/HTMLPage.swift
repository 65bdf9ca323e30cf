import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The node's own HTML pages (sign-in, setup, errors on instance hosts): one look, plain and
/// readable, never cached.
enum HTMLPage {
    /// A page whose `body` is already-escaped HTML, under a Content-Security-Policy that allows
    /// nothing but same-origin images and this page's own style element (by hash): no scripts,
    /// frames or other origins. Forms may post to the same origin only when `forms` is set.
    /// `style` is extra CSS appended to the shared one.
    static func response(
        _ status: HTTPResponse.Status, title: String, forms: Bool = false, body: String, headers: HTTPFields = [:],
        style: String = ""
    ) -> Response {
        let css = baseStyle + style
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>\(escape(title))</title>
            <link rel="icon" href="/assets/hearth.svg" type="image/svg+xml">
            <style>\(css)</style></head>
            <body><header class="brand"><img src="/assets/hearth.svg" alt="" width="28" height="28"><span>Hearth</span></header>
            \(body)</body></html>
            """
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let hash = Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString()
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; img-src 'self'; style-src 'sha256-\(hash)'; base-uri 'none'; "
            + "form-action \(forms ? "'self'" : "'none'"); frame-ancestors 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The CSS every page shares.
    static let baseStyle = """
        :root{--bg:#f6f5f3;--surface:#fff;--text:#1f1d1a;--muted:#6b665f;--line:#ddd8d1;--accent:#c8661c;--accent-text:#fff;
        --link:#a84f0e;--bad:#8a1c11;--bad-soft:#fdecea;--code:#1e1e1e;--code-text:#ddd;color-scheme:light dark}
        @media (prefers-color-scheme:dark){:root{--bg:#161514;--surface:#201f1d;--text:#ece8e3;--muted:#a39d95;--line:#3a3835;
        --accent:#e07b2e;--accent-text:#1a0f05;--link:#f0a061;--bad:#f28b7f;--bad-soft:#3d1f1b;--code:#111;--code-text:#ddd}}
        *{box-sizing:border-box}
        body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:var(--bg);color:var(--text)}
        header.brand{display:flex;align-items:center;justify-content:center;gap:.5rem;margin:6vh 0 0;font-weight:700;font-size:1.1rem}
        main{max-width:46rem;margin:2rem auto 8vh;padding:2rem;background:var(--surface);border-radius:12px;
        box-shadow:0 1px 4px #0002;border:1px solid var(--line)}
        main.narrow{max-width:24rem}
        @media (max-width:30rem){main{margin:1rem .75rem;padding:1.25rem}}
        h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1rem;margin:1.5rem 0 .5rem;color:var(--muted)}
        pre{background:var(--code);color:var(--code-text);padding:1rem;border-radius:8px;overflow:auto;font-size:13px}
        label{display:block;margin:1rem 0 .25rem;font-weight:600;font-size:.9rem}
        input[type=text],input[type=password]{width:100%;padding:.6rem .7rem;font:inherit;color:var(--text);
        background:var(--surface);border:1px solid var(--line);border-radius:8px}
        input:focus{outline:2px solid var(--accent);border-color:transparent}
        button{margin-top:1.25rem;padding:.6rem 1.1rem;font:inherit;font-weight:600;color:var(--accent-text);background:var(--accent);
        border:0;border-radius:8px;cursor:pointer}
        button.quiet{background:none;color:var(--link);padding:0;margin:0}
        .error{background:var(--bad-soft);color:var(--bad);padding:.6rem .8rem;border-radius:8px;margin:1rem 0 0}
        ul.apps{list-style:none;padding:0}ul.apps li{padding:.6rem 0;border-bottom:1px solid var(--line)}
        a{color:var(--link)}footer{margin-top:1.5rem;color:var(--muted);font-size:.85rem}
        """

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
