import Foundation

/// The fields of the new-course form (read by `CourseInput(form:)`) and of the enrolment form.
enum CourseForm {
    static var fields: [WebField] {
        [.text("title", "Tên khóa học", required: true, hint: "Ví dụ: Hàn điện cơ bản, khóa 2/2026.", maxLength: 200)]
            + WebField.occupation("Nghề đào tạo") + [
                .select("level", "Trình độ đào tạo", WebLabels.courseLevel, required: true),
                WebField(
                    name: "start_date",
                    label: "Ngày khai giảng",
                    required: true,
                    hint: "Ngày/tháng/năm, ví dụ 05/03/2026.",
                    maxLength: 10,
                    autocomplete: "off"
                ),
                WebField(name: "end_date", label: "Ngày kết thúc", required: true, hint: "Ngày/tháng/năm.", maxLength: 10, autocomplete: "off"),
                WebField(name: "seats", label: "Số chỗ", kind: .number, required: true, hint: "Số học viên tối đa.", maxLength: 5),
                .text("funding_source", "Nguồn kinh phí", hint: "Ví dụ: Ngân sách tỉnh, Chương trình mục tiêu quốc gia.", maxLength: 200),
            ]
    }

    /// The enrolment form on a course's page.
    static let enrolFields: [WebField] = [
        WebField(
            name: "worker_id",
            label: "Mã hồ sơ người lao động",
            kind: .number,
            required: true,
            hint: "Số ở trang hồ sơ người lao động (Mã hồ sơ).",
            maxLength: 12,
            autocomplete: "off"
        )
    ]
}
