import Foundation
import JobMatchCore

/// A placement's contract (`placements.contract_type`, issue 20): the kinds the department's
/// reports distinguish. Entries recorded before it was asked have none ("not recorded").
enum ContractType: String, CaseIterable, Sendable {
    case indefinite
    case fixedTerm = "fixed_term"
    case seasonal
    case selfEmployment = "self_employment"

    /// The Vietnamese name used on the form, the pages and the export.
    var vietnamese: String {
        switch self {
        case .indefinite: "Không xác định thời hạn"
        case .fixedTerm: "Xác định thời hạn"
        case .seasonal: "Thời vụ"
        case .selfEmployment: "Tự tạo việc làm"
        }
    }

    /// Shown for an entry recorded before the contract type was asked.
    static let notRecorded = "Chưa ghi nhận"

    /// The Vietnamese name of a stored value (NULL: not recorded).
    static func vietnamese(_ stored: String?) -> String {
        guard let stored else { return Self.notRecorded }
        return ContractType(rawValue: stored)?.vietnamese ?? stored
    }

    /// The longest fixed term, in years: a fixed-term contract runs at most 36 months (Labour Code
    /// 2019, article 20).
    static let longestFixedTermYears = 3

    /// The contract of a placement starting on `start` through `channel`, as typed: the type is
    /// required (the self-employment channel's is self-employment when left out), a fixed term needs
    /// its end date, after the start and within 36 months, and no other type takes one. A 422
    /// names the field at fault.
    static func checked(
        type text: String?,
        endDate endText: String?,
        start: LocalDate,
        channel: PlacementLedger.Channel
    ) throws -> (
        type: ContractType, endDate: LocalDate?
    ) {
        let choices = Self.allCases.map { "\($0.rawValue) (\($0.vietnamese))" }.joined(separator: ", ")
        let type: ContractType
        switch text.map({ $0.trimmingCharacters(in: .whitespaces) }) {
        case nil, "":
            guard channel == .selfEmployment else {
                throw AppError.invalid(field: "contract_type", "Cần chọn loại hợp đồng: \(choices).")
            }
            type = .selfEmployment
        case let value?:
            guard let known = ContractType(rawValue: value) else {
                throw AppError.invalid(field: "contract_type", "Loại hợp đồng phải là một trong: \(choices).")
            }
            type = known
        }
        if channel == .selfEmployment, type != .selfEmployment {
            throw AppError.invalid(field: "contract_type", "Hình thức tự tạo việc làm thì loại hợp đồng là \"Tự tạo việc làm\".")
        }
        if type == .selfEmployment, ![.selfEmployment, .jobCreationLoan, .independent].contains(channel) {
            throw AppError.invalid(
                field: "contract_type",
                "Hình thức \"\(channel.vietnamese)\" là làm việc cho đơn vị sử dụng lao động, không phải tự tạo việc làm."
            )
        }
        let end = try Input.optionalDate(endText?.trimmingCharacters(in: .whitespaces), field: "contract_end_date", label: "Ngày kết thúc hợp đồng")
        guard type == .fixedTerm else {
            if end != nil {
                throw AppError.invalid(field: "contract_end_date", "Chỉ hợp đồng xác định thời hạn mới có ngày kết thúc; hãy để trống.")
            }
            return (type, nil)
        }
        guard let end else {
            throw AppError.invalid(field: "contract_end_date", "Hợp đồng xác định thời hạn cần ngày kết thúc hợp đồng.")
        }
        guard end > start else {
            throw AppError.invalid(field: "contract_end_date", "Ngày kết thúc hợp đồng phải sau ngày bắt đầu làm việc.")
        }
        let years = Self.longestFixedTermYears
        let latest =
            LocalDate(year: start.year + years, month: start.month, day: start.day)
            ?? LocalDate(year: start.year + years, month: start.month, day: 28)!
        guard end <= latest else {
            throw AppError.invalid(
                field: "contract_end_date",
                "Hợp đồng xác định thời hạn không quá 36 tháng (Bộ luật Lao động 2019, Điều 20): ngày kết thúc chậm nhất là \(latest.vietnamese)."
            )
        }
        return (type, end)
    }
}
