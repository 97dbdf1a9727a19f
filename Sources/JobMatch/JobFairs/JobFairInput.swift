import Foundation
import JobMatchCore

/// A job fair as staff create it (`POST /api/staff/job-fairs`, snake_case keys, and the create form).
struct JobFairInput: Decodable, Sendable {
    var title: String?
    var heldOn: String?
    var place: String?
    var wardCode: String?
    var kind: String?
}

/// A job fair checked at the edge, each error at its field.
struct ValidJobFair: Sendable {
    let title: String
    let heldOn: LocalDate
    let place: String
    let wardCode: String
    let kind: JobFairKind

    init(_ input: JobFairInput) throws {
        self.title = try CleanText.required(input.title, field: "title", label: "Tên phiên", maxLength: 200)
        let day = try Input.date(input.heldOn ?? "", field: "held_on", label: "Ngày tổ chức")
        guard day >= LocalDate(year: 2021, month: 1, day: 1)!, day <= LocalDate.today().adding(days: 730) else {
            throw AppError.invalid(field: "held_on", "Ngày tổ chức phải từ 01/01/2021 đến hai năm tới.")
        }
        self.heldOn = day
        self.place = try CleanText.required(input.place, field: "place", label: "Địa điểm", maxLength: 200)
        guard let ward = input.wardCode, !ward.isEmpty else {
            throw AppError.invalid(field: "ward_code", "Hãy chọn xã, phường (từ 01/7/2025) nơi tổ chức phiên.")
        }
        self.wardCode = try Input.wardCode(ward, field: "ward_code")
        self.kind = try Input.choice(input.kind ?? "", as: JobFairKind.self, field: "kind")
    }
}
