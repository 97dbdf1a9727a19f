import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Courses, enrolments, completions and training support through the pages (the API's rules and messages).
@Suite("Web app: training pages")
struct TrainingPagesTests {
    @Test(
        "add a course: an invalid form comes back with the message at its field and what was typed; a valid one opens the course and shows in the list"
    )
    func addCourse() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let empty = try await browser.get("/courses")
            #expect(empty.status == .ok && empty.html.contains("Chưa có khóa học nào.") && empty.html.contains("href=\"/courses/new\""))
            #expect(empty.html.contains("aria-current=\"page\">Đào tạo</a>"), "the navigation marks the section")
            let form = try await browser.get("/courses/new")
            #expect(form.status == .ok && form.html.contains("Ngày khai giảng") && form.html.contains("Thợ hàn và thợ cắt kim loại bằng ngọn lửa"))
            let token = try #require(form.csrf)
            let start = LocalDate.today().adding(days: -30)
            let end = LocalDate.today().adding(days: 30)

            let backwards = try await browser.post(
                "/courses/new",
                [
                    ("_csrf", token), ("title", "Hàn điện cơ bản khóa 2"), ("occupation_code", "7212"), ("level", "so_cap"),
                    ("start_date", end.vietnamese), ("end_date", start.vietnamese), ("seats", "25"),
                ]
            )
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.html.contains("Ngày kết thúc phải sau ngày khai giảng."), "the API's message")
            #expect(backwards.html.contains("value=\"Hàn điện cơ bản khóa 2\""), "what was typed is kept")
            #expect(backwards.html.contains("value=\"so_cap\" selected"))
            let badDate = try await browser.post(
                "/courses/new",
                [
                    ("_csrf", token), ("title", "Hàn điện cơ bản khóa 2"), ("occupation_code", "7212"), ("level", "so_cap"),
                    ("start_date", "31/02/2026"), ("end_date", end.vietnamese), ("seats", "25"),
                ]
            )
            #expect(badDate.status == .unprocessableContent && badDate.html.contains("Hãy nhập ngày theo dạng ngày/tháng/năm"))
            #expect(badDate.html.contains("id=\"f-start_date\" name=\"start_date\" type=\"text\" value=\"31/02/2026\""))
            let noSeats = try await browser.post(
                "/courses/new",
                [
                    ("_csrf", token), ("title", "Hàn điện cơ bản khóa 2"), ("occupation_code", "7212"), ("level", "so_cap"),
                    ("start_date", start.vietnamese), ("end_date", end.vietnamese), ("seats", "0"),
                ]
            )
            #expect(noSeats.status == .unprocessableContent && noSeats.html.contains("Số chỗ phải từ 1 đến 10.000."))

            let made = try await browser.post(
                "/courses/new",
                [
                    ("_csrf", token), ("title", "Hàn điện cơ bản khóa 2"), ("occupation_code", "7212"), ("level", "so_cap"),
                    ("start_date", start.vietnamese), ("end_date", end.vietnamese), ("seats", "25"), ("funding_source", "Ngân sách tỉnh"),
                ]
            )
            #expect(made.status == .seeOther, "\(made.html)")
            let location = try #require(made.location)
            #expect(location.hasPrefix("/courses/") && location.hasSuffix("?done=created"))
            let course = try await browser.get(location)
            #expect(course.status == .ok)
            #expect(course.html.contains("<h1>Hàn điện cơ bản khóa 2</h1>") && course.html.contains("Đã thêm khóa học."))
            #expect(
                course.html.contains("7212 · Thợ hàn và thợ cắt kim loại bằng ngọn lửa") && course.html.contains("Sơ cấp")
                    && course.html.contains("Ngân sách tỉnh")
            )
            #expect(course.html.contains("\(start.vietnamese) – \(end.vietnamese)") && course.html.contains("25 (đã ghi danh 0, còn 25)"))
            #expect(course.missingTemplateValues == nil, "every template value given")
            let list = try await browser.get("/courses")
            #expect(list.html.contains("Hàn điện cơ bản khóa 2") && list.html.contains("Sơ cấp") && list.html.contains(start.vietnamese))

            let other = try await browser.post(
                "/courses/new",
                [
                    ("_csrf", token), ("title", "May công nghiệp"), ("occupation_code", ""), ("occupation_other", "7533"),
                    ("level", "under_3_months"),
                    ("start_date", start.vietnamese), ("end_date", end.vietnamese), ("seats", "1.000"),
                ]
            )
            #expect(other.status == .seeOther, "an occupation typed by code; seats with a thousands dot")
            let newest = try await browser.get("/courses")
            let first = try #require(newest.html.range(of: "May công nghiệp"))
            let second = try #require(newest.html.range(of: "Hàn điện cơ bản khóa 2"))
            #expect(first.lowerBound < second.lowerBound, "newest first")
            #expect(newest.html.contains("1.000"))
        }
    }

    @Test("enrol a worker, record the completion and the training support on the course page; errors come back beside the form")
    func enrolAndComplete() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let start = LocalDate.today().adding(days: -30)
            let course = try await client.created(
                "/api/staff/courses",
                token: tokens.officer,
                [
                    "title": "Vận hành máy may", "occupation_code": "8153", "level": "under_3_months", "start_date": start.description,
                    "end_date": LocalDate.today().adding(days: 10).description, "seats": 1,
                ]
            )
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/courses/\(course)")
            #expect(page.html.contains("Chưa có học viên nào.") && page.html.contains("action=\"/courses/\(course)/enrolments\""))
            let token = try #require(page.csrf)

            let blank = try await browser.post("/courses/\(course)/enrolments", [("_csrf", token), ("worker_id", "")])
            #expect(blank.status == .unprocessableContent && blank.html.contains("Hãy nhập mã hồ sơ người lao động."))
            let nobody = try await browser.post("/courses/\(course)/enrolments", [("_csrf", token), ("worker_id", "999999")])
            #expect(nobody.status == .unprocessableContent && nobody.html.contains("Không tìm thấy người lao động có mã 999999."))
            #expect(nobody.html.contains("value=\"999999\"") && nobody.html.contains("aria-invalid=\"true\""))
            let enrolled = try await browser.post("/courses/\(course)/enrolments", [("_csrf", token), ("worker_id", "\(worker)")])
            #expect(enrolled.status == .seeOther && enrolled.location == "/courses/\(course)?done=enrolled")
            let again = try await browser.post("/courses/\(course)/enrolments", [("_csrf", token), ("worker_id", "\(worker)")])
            #expect(again.status == .conflict && again.html.contains("Khóa học đã đủ học viên."), "the one seat is taken")

            let withLearner = try await browser.get("/courses/\(course)?done=enrolled")
            #expect(
                withLearner.html.contains("Đã ghi danh học viên.") && withLearner.html.contains("<a href=\"/workers/\(worker)\">Trần Thị Bình</a>")
            )
            #expect(withLearner.html.contains("Đang học") && withLearner.html.contains("đã đủ học viên"))
            let enrolment = try #require(
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query("SELECT id FROM enrolments WHERE course_id = \(Int64(course))", logger: TestCluster.logger).first(Int64.self)
                }
            )
            let completeAt = "/courses/\(course)/enrolments/\(enrolment)/complete"
            #expect(withLearner.html.contains("action=\"\(completeAt)\""))

            let noCertificate = try await browser.post(completeAt, [("_csrf", token), ("certificate_number", ""), ("completed_on", "")])
            #expect(noCertificate.status == .unprocessableContent && noCertificate.html.contains("Hãy nhập số chứng chỉ."))
            let tooEarly = try await browser.post(
                completeAt,
                [
                    ("_csrf", token), ("certificate_number", "SC-2026/0042"), ("completed_on", start.adding(days: -1).vietnamese),
                ]
            )
            #expect(tooEarly.status == .unprocessableContent && tooEarly.html.contains("Ngày hoàn thành không thể trước ngày khai giảng."))
            #expect(tooEarly.html.contains("value=\"SC-2026/0042\""), "what was typed is kept")
            #expect(
                try await browser.post("/courses/999999/enrolments/\(enrolment)/complete", [("_csrf", token), ("certificate_number", "X")])
                    .status == .notFound,
                "an enrolment of another course"
            )
            let completed = try await browser.post(completeAt, [("_csrf", token), ("certificate_number", "SC-2026/0042"), ("completed_on", "")])
            #expect(completed.status == .seeOther && completed.location == "/courses/\(course)?done=completed")
            let after = try await browser.get("/courses/\(course)")
            #expect(
                after.html.contains("Đã tốt nghiệp") && after.html.contains("Số SC-2026/0042")
                    && after.html.contains("ngày \(LocalDate.today().vietnamese)")
            )
            #expect(!after.html.contains("action=\"\(completeAt)\""), "completed once")
            let completedTwice = try await browser.post(completeAt, [("_csrf", token), ("certificate_number", "SC-2026/0043")])
            #expect(
                completedTwice.status == .conflict && completedTwice.html.contains("chỉ lượt đang học mới được ghi nhận hoàn thành"),
                "a form the row no longer offers: its message above the page"
            )

            let supportAt = "/courses/\(course)/enrolments/\(enrolment)/support"
            #expect(after.html.contains("action=\"\(supportAt)\""))
            let tooMuch = try await browser.post(
                supportAt,
                [
                    ("_csrf", token), ("basis", "poor"), ("amount_vnd", "3.500.000"), ("decided_on", LocalDate.today().vietnamese),
                ]
            )
            #expect(tooMuch.status == .unprocessableContent && tooMuch.html.contains("tối đa 3000000 đồng"))
            #expect(tooMuch.html.contains("value=\"3.500.000\"") && tooMuch.html.contains("value=\"poor\" selected"))
            let granted = try await browser.post(
                supportAt,
                [
                    ("_csrf", token), ("basis", "poor"), ("amount_vnd", "3.000.000"), ("decided_on", LocalDate.today().vietnamese),
                ]
            )
            #expect(granted.status == .seeOther && granted.location == "/courses/\(course)?done=support")
            let supported = try await browser.get("/courses/\(course)?done=support")
            #expect(supported.html.contains("Đã ghi nhận hỗ trợ đào tạo.") && supported.html.contains("3.000.000 ₫ · Người thuộc hộ nghèo"))
            #expect(!supported.html.contains("action=\"\(supportAt)\""), "supported once")
            let supportedTwice = try await browser.post(
                supportAt,
                [
                    ("_csrf", token), ("basis", "poor"), ("amount_vnd", "1.000.000"), ("decided_on", LocalDate.today().vietnamese),
                ]
            )
            #expect(supportedTwice.status == .conflict && supportedTwice.html.contains("mỗi người chỉ được hỗ trợ một lần"))
            let record = try await browser.get("/workers/\(worker)")
            #expect(record.html.contains("<a href=\"/courses/\(course)\">Vận hành máy may</a>") && record.html.contains("SC-2026/0042"))
        }
    }

    @Test("a viewer reads the courses but gets no write button, and every write form refuses them")
    func viewer() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let course = try await client.created(
                "/api/staff/courses",
                token: tokens.officer,
                [
                    "title": "Điện công nghiệp", "occupation_code": "7411", "level": "trung_cap", "start_date": LocalDate.today().description,
                    "end_date": LocalDate.today().adding(days: 300).description, "seats": 30,
                ]
            )
            let browser = WebBrowser(client)
            try await browser.signIn("viewer", SignInTests.password)
            let list = try await browser.get("/courses")
            #expect(list.status == .ok && list.html.contains("Điện công nghiệp") && !list.html.contains("href=\"/courses/new\""))
            let page = try await browser.get("/courses/\(course)")
            #expect(page.status == .ok && page.html.contains("Trung cấp") && !page.html.contains("action=\"/courses/\(course)/enrolments\""))
            #expect(try await browser.get("/courses/new").status == .forbidden)
            let token = try #require(page.csrf)
            #expect(try await browser.post("/courses/new", [("_csrf", token), ("title", "X")]).status == .forbidden)
            #expect(try await browser.post("/courses/\(course)/enrolments", [("_csrf", token), ("worker_id", "1")]).status == .forbidden)
            #expect(try await browser.get("/courses/999999").status == .notFound)
        }
    }
}
