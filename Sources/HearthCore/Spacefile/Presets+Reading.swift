// Like the other readers, these log every problem and fill unusable fields with defaults; `Spacefile.parse`
// returns a model only when nothing was logged.

extension Presets {
    /// Reads a micro's `presets` (spec §4.5).
    init(reading field: YAMLField) {
        let fields = YAMLMapping(field, allowing: ["env", "api_keys"])
        self.init(
            env: fields?["env"]?.list?.map(EnvPreset.init(reading:)) ?? [],
            apiKeys: fields?["api_keys"]?.bool ?? false)
    }
}

extension EnvPreset {
    /// Reads one `presets.env` entry. `default` must be a YAML string: an unquoted number is refused, as
    /// Deta's schema did.
    init(reading field: YAMLField) {
        let fields = YAMLMapping(field, allowing: ["name", "description", "default"])
        self.init(
            name: fields?.required("name")?.string ?? "",
            description: fields?["description"]?.string,
            defaultValue: fields?["default"]?.string)
    }
}
