import Foundation
import JobMatchCore

/// A hire at a job fair (`POST .../interviews/{id}/hire`): when work starts, the wage and the contract.
struct JobFairHireInput: Decodable, Sendable {
    var startDate: String?
    var wageVnd: Int64?
    var contractType: String?
    var contractEndDate: String?
}

/// A hire checked at the edge by the placement rules (start day, wage, contract), each error at its field.
struct ValidJobFairHire: Sendable {
    let start: LocalDate
    let wageVND: Int64?
    let contract: ContractType
    let contractEnd: LocalDate?

    init(_ input: JobFairHireInput, fairDay: LocalDate) throws {
        let start = try Input.date(input.startDate ?? "", field: "start_date", label: "Ngày bắt đầu làm việc")
        guard start >= fairDay, start <= LocalDate.today() else {
            throw AppError.invalid(field: "start_date", "Ngày bắt đầu làm việc phải từ ngày tổ chức phiên (\(fairDay.vietnamese)) đến hôm nay.")
        }
        self.start = start
        if let wage = input.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        self.wageVND = input.wageVnd
        let contract = try ContractType.checked(type: input.contractType, endDate: input.contractEndDate, start: start, channel: .jobFair)
        self.contract = contract.type
        self.contractEnd = contract.endDate
    }
}
