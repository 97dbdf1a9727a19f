import Foundation

/// The employer API contract as published: the OpenAPI document this target is generated from.
public enum EmployerAPIContract {
    /// The text of `openapi.yaml`, bundled with the target, or nil if the bundle is missing.
    public static var document: String? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
