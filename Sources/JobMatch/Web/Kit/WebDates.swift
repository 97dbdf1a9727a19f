import Foundation
import JobMatchCore

/// Dates as clerks type and read them: `dd/mm/yyyy`.
enum WebDates {
    /// `05/03/1998` (or `1998-03-05`) as the API's `1998-03-05`; nil when empty; 422 naming `field` otherwise.
    static func iso(_ text: String?, field: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        if LocalDate(text) != nil { return text }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
        if parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]), parts[2].count == 4,
            let date = LocalDate(String(format: "%04d-%02d-%02d", year, month, day))
        {
            return date.description
        }
        throw AppError.invalid(field: field, "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/03/1998.")
    }

    /// `1998-03-05` as `05/03/1998`; other text unchanged.
    static func display(_ iso: String?) -> String {
        guard let iso else { return "" }
        return LocalDate(String(iso.prefix(10)))?.vietnamese ?? iso
    }
}
