import HTTPTypes
import Hummingbird

/// The one HTML page of the dashboard: a frame its script fills, under a policy that allows
/// only this node's own scripts, styles, images and API calls.
enum DashboardShell {
    static let policy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
        "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    static func response(owner: String, csrf: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>Hearth</title>
            <link rel="icon" href="/assets/hearth.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/assets/dashboard.css">
            <script type="module" src="/assets/app.js"></script></head>
            <body><header class="topbar"><a class="brand" href="/" data-nav><img src="/assets/hearth.svg" alt="" width="24" height="24">Hearth</a>
            <nav aria-label="Main"><a href="/" data-nav>Apps</a><a href="/install" data-nav>Install</a><a href="/space" data-nav>Space</a></nav>
            <form class="signout" method="post" action="/logout"><input type="hidden" name="csrf" value="\(HTMLPage.escape(csrf))">
            <span class="who">\(HTMLPage.escape(owner))</span><button type="submit" class="link">Sign out</button></form></header>
            <main id="view" tabindex="-1"><p class="loading">Loading…</p></main>
            <div id="toasts" role="status" aria-live="polite"></div>
            <noscript><p class="noscript">The dashboard needs JavaScript. Your apps still work at their own addresses.</p></noscript>
            </body></html>
            """
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("Content-Security-Policy")!: policy, HTTPField.Name("X-Content-Type-Options")!: "nosniff",
                HTTPField.Name("Referrer-Policy")!: "same-origin",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
