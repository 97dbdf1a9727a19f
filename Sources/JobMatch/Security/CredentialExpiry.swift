import Foundation
import JobMatchCore

/// The last day a credential works, as staff give it (`YYYY-MM-DD`, Vietnam's day): it is refused
/// from midnight (UTC+7) at the end of that day, like a revoked one.
public enum CredentialExpiry {
    /// The day read from `text` (nil when absent or empty); 422 naming `field` unless it is a real
    /// date from today on.
    public static func day(_ text: String?, field: String, today: LocalDate = .today()) throws -> LocalDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let day = try Input.date(text, field: field, label: "Ngày hết hạn")
        guard day >= today else {
            throw AppError.invalid(field: field, "Ngày hết hạn phải từ hôm nay (\(today)) trở đi.")
        }
        return day
    }

    /// The instant the credential stops working: the end of `day` in Vietnam; nil for none.
    static func instant(_ day: LocalDate?) -> Date? {
        guard let day else { return nil }
        let next = day.adding(days: 1)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return calendar.date(from: DateComponents(year: next.year, month: next.month, day: next.day))
    }
}
