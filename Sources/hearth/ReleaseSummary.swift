import HearthCore
import HearthExport

/// What `hearth install` shows before it asks: the release, its publisher, and what the app
/// asks for (env presets, public routes, API keys, scheduled actions), micro by micro.
struct ReleaseSummary {
    let manifest: ReleaseManifest
    let spacefile: Spacefile

    var text: String {
        var lines = [
            "Release:      \(manifest.app) \(manifest.version)",
            "Publisher:    \(manifest.publisher.fingerprint)",
            "Created:      \(manifest.createdAt)",
        ]
        if let title = manifest.discoveryData?.title { lines.append("Title:        \(title)") }
        if let tagline = manifest.discoveryData?.tagline { lines.append("Tagline:      \(tagline)") }
        if !manifest.notes.isEmpty { lines.append("Notes:        \(manifest.notes)") }
        lines.append("Signature and all \(manifest.files.count) file hashes verified.")
        for micro in spacefile.micros {
            lines.append("Micro \(micro.name) (\(micro.engine.rawValue)\(micro.primary ? ", primary" : ""), at \(micro.path)):")
            for preset in micro.presets.env {
                let detail = [preset.description, preset.defaultValue.map { "default: \($0)" }].compactMap { $0 }.joined(separator: "; ")
                lines.append("  env \(preset.name)" + (detail.isEmpty ? "" : " — \(detail)"))
            }
            if !micro.publicRoutes.isEmpty { lines.append("  public routes (no sign-in): \(micro.publicRoutes.joined(separator: ", "))") }
            if micro.presets.apiKeys { lines.append("  api_keys: app API keys may open its private routes") }
            for action in micro.actions {
                lines.append("  scheduled action \(action.id) (\(action.name))" + (action.description.map { ": \($0)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
