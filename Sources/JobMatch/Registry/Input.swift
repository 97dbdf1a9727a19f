import JobMatchCore

/// Parsing helpers shared by the request types.
enum Input {
    /// A `YYYY-MM-DD` date, or a 422 naming the field.
    static func date(_ text: String, field: String, label: String) throws -> LocalDate {
        guard let date = LocalDate(text) else {
            throw AppError.invalid(field: field, "\(label) phải có dạng YYYY-MM-DD và là ngày có thật.")
        }
        return date
    }

    static func optionalDate(_ text: String?, field: String, label: String) throws -> LocalDate? {
        guard let text, !text.isEmpty else { return nil }
        return try date(text, field: field, label: label)
    }

    /// One of the allowed raw values, or a 422 listing them.
    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, as type: T.Type, field: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw AppError.invalid(field: field, "Giá trị '\(text)' không hợp lệ; chỉ nhận: \(allowed).")
        }
        return value
    }

    /// A page size from the query string: `defaultValue` when absent, else 1...`maximum`.
    static func limit(_ text: String?, default defaultValue: Int, maximum: Int) throws -> Int {
        guard let text else { return defaultValue }
        guard let value = Int(text), (1...maximum).contains(value) else {
            throw AppError.invalid(field: "limit", "limit phải từ 1 đến \(maximum).")
        }
        return value
    }

    /// A 2025 or legacy ward code (`WorkerRules.wardCode`), or a 422 naming the field.
    static func wardCode(_ text: String, field: String) throws -> String {
        do { return try WorkerRules.wardCode(text, field: field) } catch { throw AppError.invalid(error) }
    }

    /// An occupation code (`WorkerRules.occupationCode`), or a 422 naming the field.
    static func occupationCode(_ text: String, field: String) throws -> String {
        do { return try WorkerRules.occupationCode(text, field: field) } catch { throw AppError.invalid(error) }
    }
}
