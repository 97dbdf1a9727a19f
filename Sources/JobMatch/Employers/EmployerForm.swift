import Foundation

/// The form of a new employer, with the home province's wards to choose from; `EmployerInput(form:)` reads it.
struct EmployerForm {
    let wards: [(String, String)]

    var fields: [WebField] {
        [
            .text("name", "Tên doanh nghiệp", required: true, hint: "Tên đầy đủ theo giấy chứng nhận đăng ký doanh nghiệp.", maxLength: 200),
            WebField(
                name: "tax_code",
                label: "Mã số thuế",
                required: true,
                hint: "10 chữ số; chi nhánh thêm dấu gạch ngang và 3 chữ số, ví dụ 0100109106-001.",
                maxLength: 14,
                autocomplete: "off"
            ),
            .select("ward_code", "Xã, phường (trụ sở)", self.wards, required: true),
            WebField(
                name: "ward_other",
                label: "Mã xã, phường ngoài tỉnh",
                hint: "5 chữ số; chỉ nhập khi trụ sở ở tỉnh, thành phố khác.",
                maxLength: 5,
                pattern: "[0-9]{5}",
                autocomplete: "off"
            ),
            .text("sector", "Ngành nghề kinh doanh", maxLength: 200),
            .text("contact_name", "Người liên hệ", maxLength: 150),
            WebField(
                name: "contact_phone",
                label: "Số điện thoại liên hệ",
                kind: .tel,
                hint: "Ví dụ 0292 3456 789 hoặc 0912 345 678.",
                maxLength: 20,
                autocomplete: "off"
            ),
            WebField(name: "contact_email", label: "Email liên hệ", kind: .email, maxLength: 200, autocomplete: "off"),
        ]
    }
}
