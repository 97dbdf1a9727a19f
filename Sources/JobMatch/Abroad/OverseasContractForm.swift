import Foundation

/// The fields of the labour-abroad forms: a licensed enterprise, a contract (with the enterprises
/// to choose from), and a contract's departure and early return. `OverseasContractInput(form:)`,
/// `OverseasEnterpriseInput(form:)` and `EarlyReturnInput(form:)` read them.
struct OverseasContractForm {
    /// The licensed enterprises to choose from, by name.
    let enterprises: [(String, String)]

    var fields: [WebField] {
        [
            WebField(
                name: "worker_id",
                label: "Mã hồ sơ người lao động",
                kind: .number,
                required: true,
                hint: "Số ở trang hồ sơ người lao động (Mã hồ sơ).",
                maxLength: 12,
                autocomplete: "off"
            ),
            .select(
                "enterprise_id",
                "Doanh nghiệp dịch vụ",
                self.enterprises,
                hint: "Giấy phép phải còn hiệu lực vào ngày ký hợp đồng.",
                blank: "Không qua doanh nghiệp dịch vụ"
            ),
            .select("country", "Nước đến", WebLabels.overseasMarkets, required: true),
            WebField(
                name: "country_other",
                label: "Mã nước khác",
                hint: "2 chữ cái theo ISO 3166; chỉ nhập khi nước đến không có trong danh sách.",
                maxLength: 2,
                autocomplete: "off"
            ),
        ] + WebField.occupation("Nghề làm việc") + [
            WebField(name: "term_months", label: "Thời hạn hợp đồng (tháng)", kind: .number, required: true, maxLength: 3),
            WebField(
                name: "contract_date",
                label: "Ngày ký hợp đồng",
                hint: "Ngày/tháng/năm; để trống nếu là hôm nay.",
                maxLength: 10,
                autocomplete: "off"
            ),
            WebField(
                name: "planned_departure",
                label: "Ngày dự kiến xuất cảnh",
                required: true,
                hint: "Ngày/tháng/năm.",
                maxLength: 10,
                autocomplete: "off"
            ),
            WebField(name: "fee_vnd", label: "Tiền dịch vụ (đồng)", hint: "Ví dụ 30.000.000.", maxLength: 15, autocomplete: "off"),
            WebField(name: "deposit_vnd", label: "Tiền ký quỹ (đồng)", maxLength: 15, autocomplete: "off"),
            .select("loan_source", "Vay vốn đi làm việc", WebLabels.loanSource, blank: "— Không rõ —"),
        ]
    }

    static let enterpriseFields: [WebField] = [
        .text(
            "name",
            "Tên doanh nghiệp",
            required: true,
            hint: "Tên theo giấy phép hoạt động dịch vụ đưa người lao động đi làm việc ở nước ngoài.",
            maxLength: 200
        ),
        .text("licence_number", "Số giấy phép", required: true, hint: "Ví dụ 123/LĐTBXH-GP.", maxLength: 50),
        WebField(
            name: "licence_valid_from",
            label: "Ngày cấp giấy phép",
            required: true,
            hint: "Ngày/tháng/năm.",
            maxLength: 10,
            autocomplete: "off"
        ),
        WebField(
            name: "licence_valid_to",
            label: "Ngày hết hạn giấy phép",
            hint: "Để trống nếu giấy phép không có thời hạn.",
            maxLength: 10,
            autocomplete: "off"
        ),
    ]

    static let departureFields: [WebField] = [
        WebField(
            name: "departure_date",
            label: "Ngày xuất cảnh",
            required: true,
            hint: "Ngày/tháng/năm, không sau hôm nay.",
            maxLength: 10,
            autocomplete: "off"
        )
    ]

    static let returnFields: [WebField] = [
        WebField(name: "return_date", label: "Ngày về nước", required: true, hint: "Ngày/tháng/năm.", maxLength: 10, autocomplete: "off"),
        WebField(name: "reason", label: "Lý do về nước trước hạn", kind: .textarea, required: true, maxLength: 500),
    ]
}
