/// A new course: the body of `POST /courses`, and what the new-course page reads.
struct CourseInput: Decodable, Sendable {
    var title: String?
    var occupationCode: String
    var level: String
    var startDate: String
    var endDate: String
    var seats: Int
    var fundingSource: String?
}

extension CourseInput {
    /// The new-course form; 422 naming the field when something required is missing or mistyped.
    init(form: WebForm) throws {
        self.init(
            title: try form.required("title", "Hãy nhập tên khóa học."),
            occupationCode: try form.occupation(),
            level: try form.required("level", "Hãy chọn trình độ đào tạo."),
            startDate: try form.requiredDate("start_date", label: "Ngày khai giảng"),
            endDate: try form.requiredDate("end_date", label: "Ngày kết thúc"),
            seats: Int(clamping: try form.requiredInteger("seats", label: "Số chỗ")),
            fundingSource: form.text("funding_source")
        )
    }
}
