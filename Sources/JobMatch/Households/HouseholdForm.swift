import Foundation
import JobMatchCore

/// The household forms' fields (registering a household with its first status, recording a new
/// status) and the household page's values. Field names are the API's, so its errors land on them;
/// `HouseholdInput(form:)` and `HouseholdStatusInput(form:)` read them.
enum HouseholdForm {
    /// Registering: the head, where the household lives, its code and its first status.
    static func fields(_ wards: WorkerForm) -> [WebField] {
        [
            .text("head_name", "Họ tên chủ hộ", required: true, hint: "Viết đủ dấu, ví dụ: Nguyễn Văn An.", maxLength: 150),
            .select("ward_code", "Xã, phường (từ 01/7/2025)", wards.wards, hint: "Nơi thường trú của hộ theo đơn vị hành chính mới."),
            .select(
                "legacy_ward_code",
                "Xã, phường cũ (trước 01/7/2025)",
                wards.legacyWards,
                hint: "Không bắt buộc khi đã chọn xã, phường mới; dùng cho báo cáo theo huyện cũ."
            ),
            .text("address", "Địa chỉ", hint: "Số nhà, ấp, khu vực.", maxLength: 300),
            .text("household_code", "Mã hộ", hint: "Mã hộ trong danh sách hộ nghèo, cận nghèo của xã, phường (nếu có).", maxLength: 50),
            .select("status", "Tình trạng hộ", WebLabels.householdStatus, required: true),
            WebField(
                name: "status_valid_from",
                label: "Có hiệu lực từ ngày",
                required: true,
                hint: "Ngày/tháng/năm theo quyết định công nhận, ví dụ 01/01/2026.",
                maxLength: 10,
                autocomplete: "off"
            ),
            .select(
                "standard",
                "Chuẩn áp dụng",
                WebLabels.householdStandard,
                hint: "Để trống: theo chuẩn hiện hành của tình trạng và ngày.",
                blank: "Theo chuẩn hiện hành"
            ),
            .text("decision_ref", "Số quyết định công nhận", hint: "Ví dụ: 125/QĐ-UBND.", maxLength: 200),
        ]
    }

    /// Recording a newly recognised status.
    static let statusFields: [WebField] = [
        .select("status", "Tình trạng hộ", WebLabels.householdStatus, required: true),
        WebField(
            name: "valid_from",
            label: "Có hiệu lực từ ngày",
            required: true,
            hint: "Ngày/tháng/năm, ví dụ 01/01/2027.",
            maxLength: 10,
            autocomplete: "off"
        ),
        WebField(name: "valid_to", label: "Đến ngày (nếu có)", hint: "Để trống khi chưa có ngày hết hiệu lực.", maxLength: 10, autocomplete: "off"),
        .select(
            "standard",
            "Chuẩn áp dụng",
            WebLabels.householdStandard,
            hint: "Để trống: theo chuẩn hiện hành của tình trạng và ngày.",
            blank: "Theo chuẩn hiện hành"
        ),
        .text("decision_ref", "Số quyết định công nhận", maxLength: 200),
    ]

    /// A household's page values: where it lives, its statuses (newest first, the one in force
    /// today marked) and its members, worded for a clerk.
    static func values(_ record: HouseholdRecord) -> [String: Any] {
        let current =
            record.statuses.first { $0.inForce }.map { WebLabels.householdStatusWord($0.period.status) }
            ?? "Chưa có tình trạng đang có hiệu lực"
        return [
            "id": record.id, "head": record.headName, "ward": record.ward, "legacyWard": record.legacyWard ?? "", "address": record.address ?? "",
            "code": record.householdCode ?? "", "current": current,
            "statuses": record.statuses.map { status -> [String: Any] in
                let period = status.period
                return [
                    "status": WebLabels.householdStatusWord(period.status), "from": WebDates.display(period.validFrom),
                    "to": period.validTo.map(WebDates.display) ?? "nay", "standard": WebLabels.word(period.standard, in: WebLabels.householdStandard),
                    "decision": period.decisionRef ?? "", "inForce": status.inForce,
                ]
            },
            "hasStatuses": !record.statuses.isEmpty,
            "members": record.members.map { member -> [String: Any] in
                [
                    "worker": member.workerID, "name": member.fullName, "year": member.birthYear,
                    "sex": WebLabels.word(member.sex, in: WebLabels.sex),
                    "anonymised": member.anonymised,
                ]
            },
            "hasMembers": !record.members.isEmpty,
        ]
    }
}
