import Foundation
import JobMatchCore

/// The Vietnamese words for the codes of training, employers and labour abroad.
extension WebLabels {
    /// The priority groups of training support (Decision 46/2015), with their caps.
    static let supportBasis = TrainingSupportBasis.allCases.map { basis -> (String, String) in
        let name =
            switch basis {
            case .disability: "Người khuyết tật"
            case .poorEthnicMinority: "Người dân tộc thiểu số thuộc hộ nghèo"
            case .poor: "Người thuộc hộ nghèo"
            case .nearPoor: "Người thuộc hộ cận nghèo"
            case .ruralOrWomen: "Lao động nông thôn, phụ nữ"
            }
        return (basis.rawValue, name + " (tối đa " + VietnameseFormat.number(basis.capVND) + " ₫)")
    }

    static let loanSource = [
        ("vbsp", "Ngân hàng Chính sách xã hội"), ("national_employment_fund", "Quỹ quốc gia về việc làm"),
        ("none", "Không vay vốn"),
    ]

    /// The destination markets offered first, named in Vietnamese (`CountryNames`).
    static let overseasMarkets = [
        "JP", "KR", "TW", "DE", "RO", "HU", "PL", "CZ", "SK", "BG", "RU", "SA", "AE", "QA", "KW", "MY", "SG",
        "TH", "LA", "KH", "AU", "NZ", "CA", "US", "GB", "FR", "IT", "IL", "MO", "HK", "DZ", "MN", "CN",
    ]
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

    /// An occupation with the title the database gave: `7531 · Thợ may đo, ...`.
    static func occupationNamed(_ code: String, title: String) -> String {
        code + " · " + title
    }

    /// Money in đồng: `6.500.000 ₫`; "" for nil.
    static func money(_ value: Int64?) -> String {
        value.map { VietnameseFormat.number($0) + " ₫" } ?? ""
    }
}
