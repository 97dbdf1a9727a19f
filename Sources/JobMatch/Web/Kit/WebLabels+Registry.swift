import Foundation
import JobMatchCore

/// The Vietnamese words for the codes of training, employers and labour abroad.
extension WebLabels {
    /// The priority groups of training support (Decision 46/2015), with their caps.
    static let supportBasis = TrainingSupportRoutes.Basis.allCases.map { basis -> (String, String) in
        let name = switch basis {
        case .disability: "Người khuyết tật"
        case .poorEthnicMinority: "Người dân tộc thiểu số thuộc hộ nghèo"
        case .poor: "Người thuộc hộ nghèo"
        case .nearPoor: "Người thuộc hộ cận nghèo"
        case .ruralOrWomen: "Lao động nông thôn, phụ nữ"
        }
        return (basis.rawValue, name + " (tối đa " + VietnameseFormat.number(basis.capVND) + " ₫)")
    }

    static let loanSource = [("vbsp", "Ngân hàng Chính sách xã hội"), ("national_employment_fund", "Quỹ quốc gia về việc làm"),
                             ("none", "Không vay vốn")]

    /// The destination markets offered first, named in Vietnamese (`CountryNames`).
    static let overseasMarkets = ["JP", "KR", "TW", "DE", "RO", "HU", "PL", "CZ", "SK", "BG", "RU", "SA", "AE", "QA", "KW", "MY", "SG",
                                  "TH", "LA", "KH", "AU", "NZ", "CA", "US", "GB", "FR", "IT", "IL", "MO", "HK", "DZ", "MN", "CN"]
        .map { ($0, CountryNames.vietnamese($0)) }

    /// The events a webhook hears about (every live webhook hears every event).
    static let webhookEvents = [("referral.created", "Có người được giới thiệu mới")]

    static let deliveryState = [("pending", "Đang chờ gửi"), ("delivered", "Đã gửi"), ("gave_up", "Đã ngừng gửi")]

    /// A timestamp as the API writes it (`2026-03-05T08:30:00+00`) in Vietnam's time, `05/03/2026 15:30`; "" for nil.
    static func timestamp(_ iso: String?) -> String {
        guard let iso, !iso.isEmpty else { return "" }
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        for format in ["yyyy-MM-dd'T'HH:mm:ssX", "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX"] {
            parser.dateFormat = format
            if let date = parser.date(from: iso) {
                let printer = DateFormatter()
                printer.locale = Locale(identifier: "en_US_POSIX")
                printer.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
                printer.dateFormat = "dd/MM/yyyy HH:mm"
                return printer.string(from: date)
            }
        }
        return WebDates.display(iso)
    }

    /// An occupation as clerks say it: the common name when there is one, else the catalogue's title.
    static func occupationNamed(_ code: String, title: String) -> String {
        code + " · " + (self.commonOccupations.first { $0.0 == code }?.1 ?? title)
    }

    /// Money in đồng: `6.500.000 ₫`; "" for nil.
    static func money(_ value: Int64?) -> String {
        value.map { VietnameseFormat.number($0) + " ₫" } ?? ""
    }
}

/// Reading the fields of the training, employer and abroad forms, with the message naming the field
/// when something required is missing or is not a number (the API then checks the rest).
extension WebForm {
    /// The text of a required field; 422 with `message` at `name` when empty.
    func required(_ name: String, _ message: String) throws -> String {
        guard let text = self.text(name) else { throw AppError.invalid(field: name, message) }
        return text
    }

    /// A whole number (dots and spaces between thousands allowed); nil when empty; 422 at `name` otherwise.
    func integer(_ name: String, label: String) throws -> Int64? {
        guard let text = self.text(name) else { return nil }
        let digits = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
        guard let value = Int64(digits) else { throw AppError.invalid(field: name, "\(label) phải là một số nguyên, ví dụ 12.") }
        return value
    }

    /// A required whole number.
    func requiredInteger(_ name: String, label: String) throws -> Int64 {
        guard let value = try self.integer(name, label: label) else { throw AppError.invalid(field: name, "Hãy nhập \(label.lowercased()).") }
        return value
    }

    /// A required date typed `dd/mm/yyyy`, as the API's `yyyy-mm-dd`.
    func requiredDate(_ name: String, label: String) throws -> String {
        guard let date = try WebDates.iso(self.text(name), field: name) else { throw AppError.invalid(field: name, "Hãy nhập \(label.lowercased()).") }
        return date
    }

    /// An optional date typed `dd/mm/yyyy`, as the API's `yyyy-mm-dd`; nil when empty.
    func date(_ name: String) throws -> String? {
        try WebDates.iso(self.text(name), field: name)
    }

    /// An occupation: the one chosen in the list, or the code typed in `other` (which wins when both are given).
    func occupation(_ name: String = "occupation_code", other: String = "occupation_other") throws -> String {
        if let typed = self.text(other) { return typed }
        return try self.required(name, "Hãy chọn nghề, hoặc nhập mã nghề khác.")
    }
}
