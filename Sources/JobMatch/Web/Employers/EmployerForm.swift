import Foundation
import Logging
import PostgresNIO

/// The form of a new employer (with the home province's wards to choose from) and the API body it
/// stands for (`POST /api/staff/employers`).
struct EmployerForm {
    let wards: [(String, String)]

    static func load(province: String, on connection: PostgresConnection, logger: Logger) async throws -> EmployerForm {
        EmployerForm(wards: try await WorkerForm.load(province: province, on: connection, logger: logger).wards)
    }

    var fields: [WebField] {
        [
            .text("name", "Tên doanh nghiệp", required: true, hint: "Tên đầy đủ theo giấy chứng nhận đăng ký doanh nghiệp.", maxLength: 200),
            WebField(name: "tax_code", label: "Mã số thuế", required: true,
                     hint: "10 chữ số; chi nhánh thêm dấu gạch ngang và 3 chữ số, ví dụ 0100109106-001.", maxLength: 14, autocomplete: "off"),
            .select("ward_code", "Xã, phường (trụ sở)", self.wards, required: true),
            WebField(name: "ward_other", label: "Mã xã, phường ngoài tỉnh", hint: "5 chữ số; chỉ nhập khi trụ sở ở tỉnh, thành phố khác.",
                     maxLength: 5, pattern: "[0-9]{5}", autocomplete: "off"),
            .text("sector", "Ngành nghề kinh doanh", maxLength: 200),
            .text("contact_name", "Người liên hệ", maxLength: 150),
            WebField(name: "contact_phone", label: "Số điện thoại liên hệ", kind: .tel, hint: "Ví dụ 0292 3456 789 hoặc 0912 345 678.",
                     maxLength: 20, autocomplete: "off"),
            WebField(name: "contact_email", label: "Email liên hệ", kind: .email, maxLength: 200, autocomplete: "off"),
        ]
    }

    /// The API body; 422 naming the field when something required is missing.
    static func json(_ form: WebForm) throws -> [String: Any] {
        var body: [String: Any] = [
            "name": try form.required("name", "Hãy nhập tên doanh nghiệp."),
            "tax_code": try form.required("tax_code", "Hãy nhập mã số thuế."),
            "ward_code": try form.text("ward_other") ?? form.required("ward_code", "Hãy chọn xã, phường nơi doanh nghiệp đặt trụ sở."),
        ]
        for key in ["sector", "contact_name", "contact_phone", "contact_email"] {
            if let value = form.text(key) { body[key] = value }
        }
        return body
    }
}
