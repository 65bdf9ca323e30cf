import Foundation
import HearthCore
import HearthRegistry
import Hummingbird

/// `GET /discover`: one card per listed app (its newest release; older versions folded below),
/// with its icon, Discovery.md title, tagline, theme colour and rendered body, and the command
/// that installs it. No scripts: the page's policy allows only its own style and images.
struct DiscoverPage {
    /// Listed releases, newest first.
    let releases: [ReleaseInfo]
    /// The dashboard's origin, for absolute download URLs.
    let origin: String
    let layout: DataLayout

    var response: Response {
        var groups: [[ReleaseInfo]] = []
        var index: [String: Int] = [:]
        for release in releases {
            let key = release.space + "/" + release.appName
            if let at = index[key] {
                groups[at].append(release)
            } else {
                index[key] = groups.count
                groups.append([release])
            }
        }
        var style = ""
        let cards = groups.enumerated().map { number, group in
            if let color = group[0].discovery?.themeColor { style += ".accent\(number){--accent:\(color)}" }
            return card(group, number: number)
        }
        let list = cards.isEmpty ? "<p class=\"empty\">No apps are listed on this node yet.</p>" : cards.joined(separator: "\n")
        let body = """
            <main class="discover"><h1>Apps on this node</h1>
            <p class="lead">Install one on your own node with the command under it: its signature and every file are \
            verified before anything is installed.</p>
            \(list)</main>
            """
        return HTMLPage.response(.ok, title: "Discover apps", body: body, style: Self.style + style)
    }

    private func card(_ group: [ReleaseInfo], number: Int) -> String {
        let release = group[0]
        let discovery = release.discovery
        let title = discovery?.title ?? discovery?.appName ?? release.appName
        let hasIcon = FileManager.default.fileExists(atPath: layout.resolve(release.iconPath).path)
        let icon =
            hasIcon
            ? "<img class=\"icon\" src=\"/releases/\(release.id)/icon\" alt=\"\" width=\"64\" height=\"64\">"
            : "<div class=\"icon\" aria-hidden=\"true\">\(esc(String(title.prefix(1)).uppercased()))</div>"
        var parts = [
            "<article class=\"card accent\(number)\" id=\"release-\(release.id)\">",
            "<header>\(icon)<div><h2>\(esc(title))</h2>"
                + (discovery?.tagline.map { "<p class=\"tagline\">\(esc($0))</p>" } ?? "") + "</div></header>",
            "<p class=\"meta\">\(esc(release.appName)) <strong>\(esc(release.version))</strong> · \(day(release.createdAt))"
                + " · publisher <code>\(esc(release.fingerprint))</code></p>",
        ]
        if !release.notes.isEmpty { parts.append("<p class=\"notes\">\(esc(release.notes))</p>") }
        if let body = discovery?.body, !body.isEmpty { parts.append("<div class=\"body\">\(MarkdownRenderer.html(body))</div>") }
        let links = [("Homepage", discovery?.homepage), ("Source", discovery?.git), ("Ported from", discovery?.portedFrom)]
            .compactMap { name, url in url.map { "<a href=\"\(esc($0))\" rel=\"nofollow noopener noreferrer\">\(name)</a>" } }
        if !links.isEmpty { parts.append("<p class=\"links\">\(links.joined(separator: " · "))</p>") }
        parts.append(install(release))
        if group.count > 1 {
            let older = group.dropFirst().map { old in
                "<li><strong>\(esc(old.version))</strong> · \(day(old.createdAt))"
                    + (old.notes.isEmpty ? "" : " — \(esc(old.notes))") + install(old) + "</li>"
            }
            parts.append("<details><summary>Older versions (\(group.count - 1))</summary><ul>\(older.joined())</ul></details>")
        }
        return parts.joined(separator: "\n") + "</article>"
    }

    private func install(_ release: ReleaseInfo) -> String {
        let url = origin + "/" + release.path
        return "<pre class=\"install\"><code>hearth install \(esc(url))</code></pre>"
            + "<p class=\"download\"><a href=\"/\(esc(release.path))\">Download the signed archive</a></p>"
    }

    private func day(_ date: Date) -> String { String(date.formatted(.iso8601).prefix(10)) }

    private func esc(_ text: String) -> String { HTMLPage.escape(text) }

    static let style = """
        main.discover{max-width:52rem;background:none;box-shadow:none;padding:1rem}
        .lead{color:#555}.empty{color:#777}
        .card{background:#fff;border-radius:12px;box-shadow:0 1px 4px #0002;padding:1.25rem 1.5rem;margin:1.25rem 0;
        border-top:5px solid var(--accent,#c8661c)}
        .card header{display:flex;gap:1rem;align-items:center}
        .card .icon{width:64px;height:64px;border-radius:14px;flex:none;object-fit:cover;background:var(--accent,#c8661c);
        color:#fff;font:700 2rem/64px system-ui,sans-serif;text-align:center}
        .card h2{font-size:1.25rem;margin:0;color:#222}.tagline{margin:.15rem 0 0;color:#555}
        .meta{font-size:.85rem;color:#777}.meta code{font-size:.75rem;word-break:break-all}
        .notes{background:#f6f5f3;border-radius:8px;padding:.5rem .75rem}
        .body h2,.body h3,.body h4{color:#333}.body code{background:#f0eeea;padding:0 .25rem;border-radius:4px}
        .body pre code{background:none;padding:0}
        pre.install{user-select:all;margin:.75rem 0 .25rem;white-space:pre-wrap;word-break:break-all}
        .download{font-size:.85rem;margin:0}
        details{margin-top:1rem}summary{cursor:pointer;color:#a84f0e}details ul{padding-left:1.2rem}
        """
}
