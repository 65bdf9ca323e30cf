import HearthRegistry
import Hummingbird

/// The pages of signing in: the sign-in and setup forms, and plain messages.
enum AuthPages {
    private static func escape(_ text: String) -> String { HTMLPage.escape(text) }

    private static func error(_ message: String?) -> String {
        message.map { "<p class=\"error\" role=\"alert\">\(escape($0))</p>" } ?? ""
    }

    static func login(
        next: String, csrf: String, username: String = "", error message: String? = nil, status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        HTMLPage.response(
            status, title: "Sign in · Hearth", forms: true,
            body: """
                <main class="narrow"><h1>Sign in</h1><p>to your space on this Hearth node.</p>\(error(message))
                <form method="post" action="/login">
                <input type="hidden" name="csrf" value="\(escape(csrf))"><input type="hidden" name="next" value="\(escape(next))">
                <label for="username">User name</label>
                <input type="text" id="username" name="username" value="\(escape(username))" autocomplete="username" required autofocus>
                <label for="passphrase">Passphrase</label>
                <input type="password" id="passphrase" name="passphrase" autocomplete="current-password" required>
                <button type="submit">Sign in</button></form></main>
                """)
    }

    static func setup(
        code: String, csrf: String, username: String = "", error message: String? = nil, status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        guard !code.isEmpty else {
            return HTMLPage.response(
                status, title: "Set up · Hearth",
                body: """
                    <main class="narrow"><h1>Set up this node</h1>\(error(message))
                    <p>Open the setup link that <code>hearth serve</code> printed when it started, or create the owner from
                    the node's machine:</p><pre>hearth owner create</pre></main>
                    """)
        }
        return HTMLPage.response(
            status, title: "Set up · Hearth", forms: true,
            body: """
                <main class="narrow"><h1>Set up your space</h1><p>Choose how you will sign in. The passphrase is
                stored only as a slow hash; a few words make a good one.</p>\(error(message))
                <form method="post" action="/setup">
                <input type="hidden" name="csrf" value="\(escape(csrf))"><input type="hidden" name="code" value="\(escape(code))">
                <label for="username">User name</label>
                <input type="text" id="username" name="username" value="\(escape(username))" autocomplete="username" required autofocus>
                <label for="passphrase">Passphrase</label>
                <input type="password" id="passphrase" name="passphrase" autocomplete="new-password" minlength="8" required>
                <label for="confirm">Passphrase again</label>
                <input type="password" id="confirm" name="confirm" autocomplete="new-password" minlength="8" required>
                <button type="submit">Create my space</button></form></main>
                """)
    }

    static func message(_ status: HTTPResponse.Status, title: String, _ text: String) -> Response {
        HTMLPage.response(
            status, title: "\(title) · Hearth", body: "<main class=\"narrow\"><h1>\(escape(title))</h1><p>\(escape(text))</p></main>")
    }
}
