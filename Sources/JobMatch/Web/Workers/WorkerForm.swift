import Foundation
import Logging
import PostgresNIO

/// The register/edit form of a worker: its fields (with the home province's wards to choose from)
/// and the API body it stands for (`POST /api/staff/workers`, `PATCH /api/staff/workers/{id}`).
struct WorkerForm {
    let wards: [(String, String)]
    let legacyWards: [(String, String)]

    /// The 2025 wards and the legacy wards of the home province (`HOME_PROVINCE`, a legacy code), by name.
    static func load(province: String, on connection: PostgresConnection, logger: Logger) async throws -> WorkerForm {
        let wards = try await connection.query(
            """
            SELECT DISTINCT w.ward_code, w.ward_name FROM legacy_wards lw
            JOIN ward_crosswalk c ON c.legacy_ward_code = lw.ward_code JOIN wards_2025 w ON w.ward_code = c.ward_code
            WHERE lw.province_code = \(province) ORDER BY 2, 1
            """, logger: logger).decode((String, String).self).collect()
        let legacy = try await connection.query(
            """
            SELECT ward_code, ward_name || ', ' || district_name FROM legacy_wards
            WHERE province_code = \(province) ORDER BY district_name, ward_name
            """, logger: logger).decode((String, String).self).collect()
        return WorkerForm(wards: wards, legacyWards: legacy)
    }

    /// Every field; `creating` adds the consents given at registration.
    func fields(creating: Bool) -> [WebField] {
        var fields: [WebField] = [
            .text("full_name", "Họ và tên", required: true, hint: "Viết đủ dấu, ví dụ: Nguyễn Thị Hồng Nhung.", maxLength: 150),
            WebField(name: "birth_date", label: "Ngày sinh", required: true, hint: "Ngày/tháng/năm, ví dụ 05/03/1998.", maxLength: 10,
                     autocomplete: "off"),
            .select("sex", "Giới tính", WebLabels.sex, required: true),
            WebField(name: "cccd", label: "Số CCCD", hint: "12 chữ số; kiểm tra theo ngày sinh và giới tính.", maxLength: 12,
                     pattern: "[0-9]{12}", autocomplete: "off"),
            WebField(name: "cmnd", label: "Số CMND cũ (nếu có)", hint: "9 chữ số.", maxLength: 9, pattern: "[0-9]{9}", autocomplete: "off"),
            WebField(name: "phone", label: "Số điện thoại", kind: .tel, hint: "Ví dụ 0912 345 678.", maxLength: 20, autocomplete: "off"),
            .select("ward_code", "Xã, phường (từ 01/7/2025)", self.wards, hint: "Nơi thường trú theo đơn vị hành chính mới."),
            .select("legacy_ward_code", "Xã, phường cũ (trước 01/7/2025)", self.legacyWards,
                    hint: "Không bắt buộc khi đã chọn xã, phường mới; dùng cho báo cáo theo huyện cũ."),
            WebField(name: "household_id", label: "Mã hộ gia đình", kind: .number, hint: "Mã hộ trong hệ thống (xem trang Hộ gia đình).",
                     maxLength: 12),
            .text("ethnicity", "Dân tộc", hint: "Ví dụ: Kinh, Khmer, Hoa.", maxLength: 50),
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
            fields.append(.choices("consents", "Người lao động đồng ý cho trung tâm", WebLabels.consentPurpose,
                                   hint: "Chỉ đánh dấu khi người lao động đã đồng ý rõ ràng."))
            fields.append(.select("consent_means", "Hình thức đồng ý", WebLabels.consentMeans, blank: nil))
        }
        return fields
    }

    /// The API body for the form's fields; `null` for an emptied field when editing (the API then clears it).
    static func json(_ form: WebForm, creating: Bool) throws -> [String: Any] {
        var body: [String: Any] = [:]
        func put(_ key: String, _ value: Any?) {
            if let value { body[key] = value } else if !creating { body[key] = NSNull() }
        }
        for key in ["full_name", "sex", "cccd", "cmnd", "phone", "ward_code", "legacy_ward_code", "ethnicity", "disability_type",
                    "disability_severity", "education_level", "qualification", "major", "current_job", "job_seeking_status"] {
            put(key, form.text(key))
        }
        put("birth_date", try WebDates.iso(form.text("birth_date"), field: "birth_date"))
        put("unemployed_since", try WebDates.iso(form.text("unemployed_since"), field: "unemployed_since"))
        put("household_id", form.number("household_id"))
        put("max_commute_km", form.number("max_commute_km"))
        body["willing_abroad"] = form.flag("willing_abroad")
        let other = (form.text("occupation_other") ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map(String.init)
        body["occupation_codes"] = Array(NSOrderedSet(array: form.values("occupation_codes") + other)) as? [String] ?? []
        if creating {
            body["consents"] = form.values("consents")
            body["consent_means"] = form.text("consent_means") ?? "paper_form"
        }
        return body
    }

    /// The form filled with a stored record, for editing.
    static func state(_ worker: WorkerRoutes.WorkerView) -> WebFormState {
        let common = Set(WebLabels.commonOccupations.map(\.0))
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
