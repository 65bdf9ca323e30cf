extension AppTemplate {
    /// A static site: `public/index.html` and `public/style.css`, served by the static engine.
    static func staticSite(name: String) -> AppTemplate {
        AppTemplate(files: [
            ("Spacefile", staticSpacefile(name: name)),
            ("public/index.html", staticPage(name: name)),
            ("public/style.css", staticStyle),
            (".spaceignore", spaceignore),
            ("Discovery.md", discovery(name: name, tagline: "A small site, served from your own space")),
            (
                "README.md",
                readme(
                    name: name, about: "A static site: everything under `public/` is served as it is.",
                    develop: """
                        Edit `public/index.html` and `public/style.css`; add pages and assets under `public/`. \
                        The site is for you alone (the owner signs in); add `public: true` to the micro \
                        in the `Spacefile` to open it to everyone.
                        """)
            ),
        ])
    }

    private static func staticSpacefile(name: String) -> String {
        """
        # Spacefile Docs: https://go.deta.dev/docs/spacefile/v0
        v: 0
        micros:
          - name: \(name.lowercased())
            src: .
            engine: static
            serve: public
            primary: true

        """
    }

    private static func staticPage(name: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width,initial-scale=1">
          <title>\(name)</title>
          <link rel="stylesheet" href="style.css">
        </head>
        <body>
          <main>
            <h1>\(name)</h1>
            <p>This page is served from your own space. Edit <code>public/index.html</code> to make it yours.</p>
          </main>
        </body>
        </html>

        """
    }

    private static let staticStyle = """
        body { font: 18px/1.6 system-ui, sans-serif; margin: 0; background: #f6f5f3; color: #222; }
        main { max-width: 40rem; margin: 10vh auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
        h1 { margin-top: 0; color: #c8661c; }
        code { background: #f0eeea; padding: 0 .25rem; border-radius: 4px; }

        """
}
