import ArgumentParser

/// A starting point for `hearth new`: the files of a ready-to-install app, by path.
struct AppTemplate {
    let files: [(path: String, text: String)]

    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case python, `static`
    }

    static func make(_ kind: Kind, name: String) -> AppTemplate {
        switch kind {
        case .python: python(name: name)
        case .static: staticSite(name: name)
        }
    }

    /// Deta's CLI took project names of 4 to 16 characters; here they also stay plain (letters,
    /// digits, `-`, `_`), as they name the instance and appear in the generated files.
    static func nameProblem(_ name: String) -> String? {
        guard (4...16).contains(name.count) else { return "'\(name)' has \(name.count) characters; a name has 4 to 16" }
        guard name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return "'\(name)' must start with a letter and hold only letters, digits, '-' and '_'" }
        return nil
    }

    /// A Discovery.md to fill in before a listed release (`app_name` is at most 12 characters).
    static func discovery(name: String, tagline: String) -> String {
        """
        ---
        app_name: \(name.prefix(12))
        title: \(name)
        tagline: \(tagline)
        theme_color: "#c8661c"
        # homepage: https://example.com
        # git: https://example.com/\(name).git
        ---

        # \(name)

        Describe what the app does and who it is for. This text shows on the discovery page of \
        the node that lists a release: headings, lists, **emphasis**, `code` and links only.

        """
    }

    static func readme(name: String, about: String, develop: String) -> String {
        """
        # \(name)

        \(about)

        ## Next steps

        1. Install it on your Hearth node: `hearth app install .`
        2. Open it: `hearth app ls` shows its address.
        3. Later, send your changes to it with `hearth push`.
        4. Fill in `Discovery.md`, then share it: `hearth release <instance> --version 1.0.0 --listed`.

        \(develop)
        The `Spacefile` declares the app (https://go.deta.dev/docs/spacefile/v0); `.spaceignore` \
        lists what is left out of the installed copy.

        """
    }

    static let spaceignore = """
        # Left out of the installed copy, on top of the defaults (.git, .venv, __pycache__, …).
        *.log
        tmp/

        """
}
