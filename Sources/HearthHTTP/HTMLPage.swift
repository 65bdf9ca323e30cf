import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The node's own HTML pages (sign-in, setup, errors on instance hosts): one look, plain and
/// readable, never cached.
enum HTMLPage {
    /// A page whose `body` is already-escaped HTML. With `strict`, a Content-Security-Policy allows nothing but same-origin images and this
    /// page's own style element (by hash): no scripts, frames, forms or other origins.
    /// `style` is extra CSS appended to the shared one.
    static func response(
        _ status: HTTPResponse.Status, title: String, body: String, headers: HTTPFields = [:], style: String = "",
        strict: Bool = false
    ) -> Response {
        let css = baseStyle + style
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(css)</style></head>
            <body>\(body)</body></html>
            """
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if strict {
            let hash = Data(SHA256.hash(data: Data(css.utf8))).base64EncodedString()
            headers[HTTPField.Name("Content-Security-Policy")!] =
                "default-src 'none'; img-src 'self'; style-src 'sha256-\(hash)'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The CSS every page shares.
    static let baseStyle = """
        body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f5f3;color:#222}
        main{max-width:46rem;margin:8vh auto;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002}
        main.narrow{max-width:24rem}
        h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1rem;margin:1.5rem 0 .5rem;color:#555}
        pre{background:#1e1e1e;color:#ddd;padding:1rem;border-radius:8px;overflow:auto;font-size:13px}
        label{display:block;margin:1rem 0 .25rem;font-weight:600;font-size:.9rem}
        input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.6rem .7rem;font:inherit;
        border:1px solid #ccc;border-radius:8px}
        input:focus{outline:2px solid #d9822b;border-color:transparent}
        button{margin-top:1.25rem;padding:.6rem 1.1rem;font:inherit;font-weight:600;color:#fff;background:#c8661c;
        border:0;border-radius:8px;cursor:pointer}
        button.quiet{background:none;color:#c8661c;padding:0;margin:0}
        .error{background:#fdecea;color:#8a1c11;padding:.6rem .8rem;border-radius:8px;margin:1rem 0 0}
        ul.apps{list-style:none;padding:0}ul.apps li{padding:.6rem 0;border-bottom:1px solid #eee}
        a{color:#a84f0e}footer{margin-top:1.5rem;color:#888;font-size:.85rem}
        """

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
