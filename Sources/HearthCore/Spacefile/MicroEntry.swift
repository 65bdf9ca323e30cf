/// A micro as read from the Spacefile, with the fields that the checks across micros point at.
struct MicroEntry {
    static let maximumActions = 5
    static let keys: Set<String> = [
        "name", "src", "engine", "primary", "path", "serve", "commands", "include", "run", "dev", "presets",
        "public_routes", "public", "provide_actions", "actions",
    ]

    var micro: Micro
    let fields: YAMLMapping
    /// The entry of each action read, in the order of `micro.actions`.
    let actionFields: [YAMLField]

    /// Reads one entry of `micros` (spec §4.3); nil when its name, src or engine is missing or unusable.
    /// Other unusable fields are logged and left at their defaults.
    init?(reading field: YAMLField) {
        guard let fields = YAMLMapping(field, allowing: Self.keys) else { return nil }
        let name = fields.required("name").flatMap(Self.name)
        let src = fields.required("src")?.relativePath(inside: "the app directory")
        let engine = fields.required("engine").flatMap(Self.engine)
        let actions = Self.actions(fields["actions"])
        let isPublic = fields["public"]?.bool ?? false
        let publicRoutes = fields["public_routes"]?.strings(unique: true, nonEmpty: true)
        if fields["public_routes"] != nil { fields["public"]?.report("`public` and `public_routes` cannot both be set") }
        let include = fields["include"]?.strings(unique: true) { $0.relativePath(inside: "the micro's src") }
        self.fields = fields
        actionFields = actions.map(\.field)
        micro = Micro(
            name: name ?? "", src: src ?? "", engine: engine ?? .custom, primary: fields["primary"]?.bool ?? false,
            path: Self.normalizedPath(fields["path"]?.string, name: name ?? ""),
            serve: fields["serve"]?.relativePath(inside: "the micro's src"), commands: fields["commands"]?.strings() ?? [],
            include: include, run: fields["run"]?.string, dev: fields["dev"]?.string,
            presets: fields["presets"].map { Presets(reading: $0) } ?? Presets(),
            publicRoutes: isPublic ? ["/*"] : publicRoutes ?? [], provideActions: fields["provide_actions"]?.bool ?? false,
            actions: actions.map(\.action))
        guard name != nil, src != nil, let engine else { return nil }
        checkFields(for: engine)
    }

    /// `path` with a leading `/` and no trailing `/`; `/name` when absent.
    static func normalizedPath(_ path: String?, name: String) -> String {
        guard var path = path.map({ Substring($0) }) else { return "/" + name }
        while path.hasSuffix("/") { path.removeLast() }
        return path.hasPrefix("/") ? String(path) : "/" + path
    }

    /// The fields each engine requires or forbids (spec §4.3, §5.1).
    private func checkFields(for engine: Engine) {
        let isStaticSite = engine.family == .staticSite
        if engine == .staticSite, fields["serve"] == nil { reportMissing("serve", "required for engine static") }
        if engine == .custom, fields["run"] == nil { reportMissing("run", "required for engine custom") }
        if !isStaticSite { fields["serve"]?.report("only allowed for engines static, react, vue and svelte") }
        if isStaticSite { fields["include"]?.report("not allowed for engine \(engine.rawValue)") }
    }

    private func reportMissing(_ key: String, _ message: String) {
        fields.field.log.add(message, field: fields.field.path(of: key), line: fields.field.line)
    }

    private static func name(_ field: YAMLField) -> String? {
        guard let name = field.string else { return nil }
        let isAlphanumeric = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = name.utf8.first, isAlphanumeric(first),
            name.utf8.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        else {
            field.report("\(quoted(name)) is not a valid micro name; use letters, digits, - and _, starting with a letter or digit")
            return nil
        }
        return name
    }

    private static func engine(_ field: YAMLField) -> Engine? {
        guard let name = field.string else { return nil }
        guard let engine = Engine(spacefileName: name) else {
            let names = Engine.allCases.map(\.rawValue).joined(separator: ", ")
            field.report("\(quoted(name)) is not an engine; expected one of \(names)")
            return nil
        }
        return engine
    }

    private static func actions(_ field: YAMLField?) -> [(action: ScheduledAction, field: YAMLField)] {
        guard let entries = field?.list else { return [] }
        guard entries.count <= maximumActions else {
            field?.report("a micro may have at most \(maximumActions) actions, found \(entries.count)")
            return []
        }
        return entries.compactMap { entry in ScheduledAction(reading: entry).map { ($0, entry) } }
    }
}
