import Foundation
import HearthCore

/// Where a micro's directories are inside the staged app, refusing any that lead outside it.
public enum AppPaths {
    /// `<app>/<src>`, or nil if `src` leads outside the app.
    static func source(of micro: Micro, in app: URL) -> URL? {
        resolve(micro.src, from: app, within: app)
    }

    /// The directory a static micro serves: `serve` below `src`; without `serve`, `build` or
    /// `dist` for react, vue and svelte (whichever exists, `build` first), `src` itself for `static`.
    /// Nil if `serve` leads outside the app.
    static func staticRoot(of micro: Micro, source: URL, app: URL) -> URL? {
        if let serve = micro.serve { return resolve(serve, from: source, within: app) }
        guard micro.engine != .staticSite else { return source }
        let candidates = ["build", "dist"].map { source.appendingPathComponent($0, isDirectory: true) }
        return candidates.first { FileTree.followedKind(atPath: $0.path) == .directory } ?? candidates[0]
    }

    /// A file the Spacefile names (its icon), if it stays inside the app.
    public static func file(_ relative: String, in app: URL) -> URL? {
        resolve(relative, from: app, within: app)
    }

    /// `relative` below `base`, if it is relative and stays inside `app` both as written and
    /// with symlinks resolved.
    private static func resolve(_ relative: String, from base: URL, within app: URL) -> URL? {
        guard !relative.hasPrefix("/") else { return nil }
        let appPath = app.standardized.path
        let resolved = base.appendingPathComponent(relative).standardized
        guard FileTree.isWithin(resolved.path, root: appPath) else { return nil }
        if let real = FileTree.realPath(resolved.path), let realApp = FileTree.realPath(appPath) {
            guard FileTree.isWithin(real, root: realApp) else { return nil }
        }
        return URL(fileURLWithPath: resolved.path, isDirectory: true)
    }
}
