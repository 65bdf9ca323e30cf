extension ScheduledAction {
    static let maximumDescriptionLength = 142

    /// Reads one entry of a micro's `actions` (spec §4.6); nil when `id`, `name`, `trigger` or
    /// `default_interval` is missing or unusable (the problem is logged).
    init?(reading field: YAMLField) {
        guard let fields = YAMLMapping(field, allowing: ["id", "name", "description", "trigger", "default_interval", "path"])
        else { return nil }
        let id = fields.required("id")?.string
        let name = fields.required("name")?.string
        let description = fields["description"]?.string
        if let description, description.unicodeScalars.count > Self.maximumDescriptionLength {
            fields["description"]?.report(
                "must be at most \(Self.maximumDescriptionLength) characters, found \(description.unicodeScalars.count)")
        }
        let trigger = fields.required("trigger")?.string
        if let trigger, trigger != "schedule" {
            fields["trigger"]?.report("\(quoted(trigger)) is not a trigger; expected \"schedule\"")
        }
        let schedule = fields.required("default_interval").flatMap(Self.schedule)
        let path = fields["path"]?.string
        guard let id, let name, trigger == "schedule", let schedule else { return nil }
        self.init(id: id, name: name, description: description, schedule: schedule, path: path)
    }

    private static func schedule(_ field: YAMLField) -> Schedule? {
        guard let text = field.string else { return nil }
        do {
            return try Schedule(parsing: text)
        } catch {
            field.report(error.message)
            return nil
        }
    }
}
