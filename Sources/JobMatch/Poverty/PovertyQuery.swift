import Foundation
import JobMatchCore

/// What the poverty reports are asked for, read from a query string by the JSON routes and the page
/// alike: the placement period (`from`, `to`), the years of the rate (`from_year`, `to_year`) and
/// the day the figures stand at (`as_of`, default today). A bad value is a 422 naming its field.
struct PovertyQuery: Sendable {
    let from: LocalDate
    let to: LocalDate
    let asOf: LocalDate
    let fromYear: Int
    let toYear: Int

    /// The most years one rate report covers.
    static let maximumYears = 30

    /// Reads `parameter(name)`; with `requirePeriod` (the API's exits report) `from` and `to` must be
    /// given, otherwise they default to 1 January five years before `as_of`'s year through `as_of`.
    /// The years default to the same span.
    init(_ parameter: (String) -> String?, today: LocalDate, requirePeriod: Bool) throws {
        func given(_ name: String) -> String? { parameter(name).flatMap { $0.isEmpty ? nil : $0 } }
        let asOf = try given("as_of").map { try Input.date($0, field: "as_of", label: "Ngày tính số liệu") } ?? today
        guard asOf <= today else { throw AppError.invalid(field: "as_of", "Không thể xem số liệu của một ngày chưa đến.") }
        let start = LocalDate(year: asOf.year - 5, month: 1, day: 1)!
        func date(_ name: String, _ label: String, default value: LocalDate) throws -> LocalDate {
            if let text = given(name) { return try Input.date(text, field: name, label: label) }
            guard !requirePeriod else { throw AppError.invalid(field: name, "Cần có \(label.lowercased()) (\(name)), dạng YYYY-MM-DD.") }
            return value
        }
        let from = try date("from", "Ngày đầu kỳ", default: start)
        let to = try date("to", "Ngày cuối kỳ", default: asOf)
        guard from <= to else { throw AppError.invalid(field: "to", "Ngày cuối kỳ phải từ ngày đầu kỳ trở đi.") }
        guard from <= asOf else { throw AppError.invalid(field: "from", "Ngày đầu kỳ không được sau ngày tính số liệu.") }
        func year(_ name: String, default value: Int) throws -> Int {
            guard let text = given(name) else { return value }
            guard text.count == 4, let year = Int(text), year >= 2000 else {
                throw AppError.invalid(field: name, "Năm phải có 4 chữ số, từ năm 2000 trở đi.")
            }
            return year
        }
        let fromYear = try year("from_year", default: start.year)
        let toYear = try year("to_year", default: asOf.year)
        guard toYear <= asOf.year else { throw AppError.invalid(field: "to_year", "Năm cuối không được sau năm của ngày tính số liệu.") }
        guard fromYear <= toYear else { throw AppError.invalid(field: "to_year", "Năm cuối phải từ năm đầu trở đi.") }
        guard toYear - fromYear < Self.maximumYears else {
            throw AppError.invalid(field: "from_year", "Mỗi lần xem tối đa \(Self.maximumYears) năm.")
        }
        self.from = from
        self.to = to
        self.asOf = asOf
        self.fromYear = fromYear
        self.toYear = toYear
    }
}
