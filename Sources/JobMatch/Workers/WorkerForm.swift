import Foundation
import JobMatchCore

/// The register/edit form of a worker: its fields (with the home province's wards to choose from)
/// and a stored record shown in it; `WorkerInput(form:creating:)` reads it back.
struct WorkerForm {
    let wards: [(String, String)]
    let legacyWards: [(String, String)]

    /// Every field; `creating` adds the consents given at registration.
    func fields(creating: Bool) -> [WebField] {
        var fields: [WebField] = [
            .text("full_name", "Họ và tên", required: true, hint: "Viết đủ dấu, ví dụ: Nguyễn Thị Hồng Nhung.", maxLength: 150),
            WebField(
                name: "birth_date",
                label: "Ngày sinh",
                required: true,
                hint: "Ngày/tháng/năm, ví dụ 05/03/1998.",
                maxLength: 10,
                autocomplete: "off"
            ),
            .select("sex", "Giới tính", WebLabels.sex, required: true),
            WebField(
                name: "cccd",
                label: "Số CCCD",
                hint: "12 chữ số; kiểm tra theo ngày sinh và giới tính.",
                maxLength: 12,
                pattern: "[0-9]{12}",
                autocomplete: "off"
            ),
            WebField(name: "cmnd", label: "Số CMND cũ (nếu có)", hint: "9 chữ số.", maxLength: 9, pattern: "[0-9]{9}", autocomplete: "off"),
            WebField(name: "phone", label: "Số điện thoại", kind: .tel, hint: "Ví dụ 0912 345 678.", maxLength: 20, autocomplete: "off"),
            .select("ward_code", "Xã, phường (từ 01/7/2025)", self.wards, hint: "Nơi thường trú theo đơn vị hành chính mới."),
            .select(
                "legacy_ward_code",
                "Xã, phường cũ (trước 01/7/2025)",
                self.legacyWards,
                hint: "Không bắt buộc khi đã chọn xã, phường mới; dùng cho báo cáo theo huyện cũ."
            ),
            WebField(
                name: "household_id",
                label: "Mã hộ gia đình",
                kind: .number,
                hint: "Mã hộ trong hệ thống (xem trang Hộ gia đình).",
                maxLength: 12
            ),
            .select("ethnicity", "Dân tộc", EthnicGroup.all.map { ($0.name, $0.name) }, hint: "Theo danh mục 54 dân tộc của Tổng cục Thống kê."),
            .select("disability_type", "Dạng khuyết tật", WebLabels.disabilityType, blank: "Không khuyết tật"),
            .select("disability_severity", "Mức độ khuyết tật", WebLabels.disabilitySeverity, blank: "—"),
            .select("education_level", "Trình độ học vấn", WebLabels.education),
            .select("qualification", "Trình độ chuyên môn kỹ thuật", WebLabels.qualification),
            .text("major", "Chuyên ngành", maxLength: 200),
            .text("current_job", "Công việc hiện tại", maxLength: 200),
            WebField(name: "unemployed_since", label: "Thất nghiệp từ ngày", hint: "Ngày/tháng/năm.", maxLength: 10),
            .select("job_seeking_status", "Tình trạng tìm việc", WebLabels.jobSeeking, blank: nil),
            .choices("occupation_codes", "Nghề muốn làm", WebLabels.commonOccupations),
            .text("occupation_other", "Mã nghề khác (ISCO 4 chữ số)", hint: "Cách nhau bằng dấu phẩy, ví dụ 7115, 7126.", maxLength: 100),
            WebField(name: "max_commute_km", label: "Đi làm xa tối đa (km)", kind: .number, maxLength: 4),
            WebField(name: "willing_abroad", label: "Sẵn sàng đi làm việc ở nước ngoài", kind: .checkbox),
        ]
        if creating {
            fields.append(
                .choices(
                    "consents",
                    "Người lao động đồng ý cho trung tâm",
                    WebLabels.consentPurpose,
                    hint: "Chỉ đánh dấu khi người lao động đã đồng ý rõ ràng."
                )
            )
            fields.append(.select("consent_means", "Hình thức đồng ý", WebLabels.consentMeans, blank: nil))
        }
        return fields
    }

    /// The form filled with a stored record, for editing.
    static func state(_ worker: WorkerView) -> WebFormState {
        let common = Set(WebLabels.commonOccupationCodes)
        var values: [String: [String]] = [
            "full_name": [worker.fullName], "birth_date": [WebDates.display(worker.birthDate)], "sex": [worker.sex],
            "ward_code": [worker.wardCode], "job_seeking_status": [worker.jobSeekingStatus],
            "occupation_codes": worker.occupationCodes.filter(common.contains),
            "occupation_other": [worker.occupationCodes.filter { !common.contains($0) }.joined(separator: ", ")],
        ]
        let optional: [String: String?] = [
            "cccd": worker.cccd, "cmnd": worker.cmnd, "phone": worker.phone, "legacy_ward_code": worker.legacyWardCode,
            "household_id": worker.householdId.map(String.init), "ethnicity": worker.ethnicity, "disability_type": worker.disabilityType,
            "disability_severity": worker.disabilitySeverity, "education_level": worker.educationLevel, "qualification": worker.qualification,
            "major": worker.major, "current_job": worker.currentJob, "unemployed_since": worker.unemployedSince.map(WebDates.display),
            "max_commute_km": worker.maxCommuteKm.map(String.init),
        ]
        for case let (key, value?) in optional { values[key] = [value] }
        if worker.willingAbroad { values["willing_abroad"] = ["1"] }
        return WebFormState(values: values)
    }
}
