/// An app's `Discovery.md` (spec §6.4): YAML front matter describing the app for a discovery
/// page, then a Markdown body. Every field is optional; a listed release needs `app_name` and
/// `tagline`. Encoded with snake_case keys (`app_name`, `theme_color`), as Deta's `DiscoveryData`.
public struct Discovery: Codable, Sendable, Equatable {
    /// At most 12 characters.
    public var appName: String?
    /// At most 45 characters; it should start with the app name.
    public var title: String?
    /// At most 69 characters.
    public var tagline: String?
    /// `#rgb` or `#rrggbb`.
    public var themeColor: String?
    /// http(s) URLs.
    public var git: String?
    public var homepage: String?
    public var portedFrom: String?
    /// Up to 5 screenshot paths or URLs, at most one of them a video.
    public var media: [String]
    /// Whether the publisher offers the source for download.
    public var openCode: Bool?
    public var worksWith: [String]
    /// The Markdown after the front matter, at most 4250 characters.
    public var body: String

    public init(
        appName: String? = nil, title: String? = nil, tagline: String? = nil, themeColor: String? = nil, git: String? = nil,
        homepage: String? = nil, portedFrom: String? = nil, media: [String] = [], openCode: Bool? = nil,
        worksWith: [String] = [], body: String = ""
    ) {
        (self.appName, self.title, self.tagline, self.themeColor) = (appName, title, tagline, themeColor)
        (self.git, self.homepage, self.portedFrom, self.media) = (git, homepage, portedFrom, media)
        (self.openCode, self.worksWith, self.body) = (openCode, worksWith, body)
    }

    /// The file's name in the app directory.
    public static let fileName = "Discovery.md"

    static let limits = (appName: 12, title: 45, tagline: 69, media: 5, body: 4250)

    /// The problems that keep this from being listed publicly: a missing `app_name` or `tagline`.
    public func listingProblems() -> [SpacefileProblem] {
        [("app_name", appName), ("tagline", tagline)].compactMap { field, value in
            (value ?? "").isEmpty ? SpacefileProblem(field: field, message: "required for a listed release") : nil
        }
    }
}

extension SpacefileError {
    /// `Discovery.md` is not UTF-8, not valid YAML, or breaks a rule of spec §6.4.
    public static var invalidDiscovery: ErrorCode { "discovery.invalid" }
}
