import Foundation
import JobMatchCore

/// The fields of the household forms and the API bodies they stand for: registering a household
/// with its first status (`POST /api/staff/households`) and recording a new status
/// (`POST /api/staff/households/{id}/statuses`). Field names are the API's, so its errors land on them.
enum HouseholdForm {
    /// Registering: the head, where the household lives, its code and its first status.
    static func fields(_ wards: WorkerForm) -> [WebField] {
        [
            .text("head_name", "Họ tên chủ hộ", required: true, hint: "Viết đủ dấu, ví dụ: Nguyễn Văn An.", maxLength: 150),
            .select("ward_code", "Xã, phường (từ 01/7/2025)", wards.wards, hint: "Nơi thường trú của hộ theo đơn vị hành chính mới."),
            .select("legacy_ward_code", "Xã, phường cũ (trước 01/7/2025)", wards.legacyWards,
                    hint: "Không bắt buộc khi đã chọn xã, phường mới; dùng cho báo cáo theo huyện cũ."),
            .text("address", "Địa chỉ", hint: "Số nhà, ấp, khu vực.", maxLength: 300),
            .text("household_code", "Mã hộ", hint: "Mã hộ trong danh sách hộ nghèo, cận nghèo của xã, phường (nếu có).", maxLength: 50),
            .select("status", "Tình trạng hộ", WebLabels.householdStatus, required: true),
            WebField(name: "status_valid_from", label: "Có hiệu lực từ ngày", required: true,
                     hint: "Ngày/tháng/năm theo quyết định công nhận, ví dụ 01/01/2026.", maxLength: 10, autocomplete: "off"),
            .select("standard", "Chuẩn áp dụng", WebLabels.householdStandard, hint: "Để trống: theo chuẩn hiện hành của tình trạng và ngày.",
                    blank: "Theo chuẩn hiện hành"),
            .text("decision_ref", "Số quyết định công nhận", hint: "Ví dụ: 125/QĐ-UBND.", maxLength: 200),
        ]
    }

    /// Recording a newly recognised status.
    static let statusFields: [WebField] = [
        .select("status", "Tình trạng hộ", WebLabels.householdStatus, required: true),
        WebField(name: "valid_from", label: "Có hiệu lực từ ngày", required: true, hint: "Ngày/tháng/năm, ví dụ 01/01/2027.", maxLength: 10,
                 autocomplete: "off"),
        WebField(name: "valid_to", label: "Đến ngày (nếu có)", hint: "Để trống khi chưa có ngày hết hiệu lực.", maxLength: 10, autocomplete: "off"),
        .select("standard", "Chuẩn áp dụng", WebLabels.householdStandard, hint: "Để trống: theo chuẩn hiện hành của tình trạng và ngày.",
                blank: "Theo chuẩn hiện hành"),
        .text("decision_ref", "Số quyết định công nhận", maxLength: 200),
    ]

    /// The body of `POST /households`.
    static func json(_ form: WebForm) throws -> [String: Any] {
        // The head's name first, as the API checks it (the status and date are checked here only
        // to say in words what is missing, which the API would name as a bad value).
        _ = try CleanText.required(form.text("head_name"), field: "head_name", label: "Họ tên chủ hộ")
        var body: [String: Any] = [:]
        for key in ["head_name", "ward_code", "legacy_ward_code", "address", "household_code", "standard", "decision_ref"] {
            if let value = form.text(key) { body[key] = value }
        }
        body["status"] = try self.status(form)
        body["status_valid_from"] = try self.from(form, field: "status_valid_from")
        return body
    }

    /// The body of `POST /households/{id}/statuses`.
    static func statusJSON(_ form: WebForm) throws -> [String: Any] {
        var body: [String: Any] = ["status": try self.status(form), "valid_from": try self.from(form, field: "valid_from")]
        if let to = try WebDates.iso(form.text("valid_to"), field: "valid_to") { body["valid_to"] = to }
        for key in ["standard", "decision_ref"] {
            if let value = form.text(key) { body[key] = value }
        }
        return body
    }

    private static func status(_ form: WebForm) throws -> String {
        guard let status = form.text("status") else { throw AppError.invalid(field: "status", "Hãy chọn tình trạng hộ.") }
        return status
    }

    private static func from(_ form: WebForm, field: String) throws -> String {
        guard let date = try WebDates.iso(form.text(field), field: field) else {
            throw AppError.invalid(field: field, "Hãy nhập ngày bắt đầu có hiệu lực, ví dụ 01/01/2026.")
        }
        return date
    }
}
