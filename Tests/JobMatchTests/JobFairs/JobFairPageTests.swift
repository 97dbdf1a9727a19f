import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The job-fair pages: an officer runs a whole session from the web app (create, employer, vacancy,
/// check-in by letter code, interview, offer, hire, report); a refused form says why on the page;
/// a viewer reads without the forms; the public board lists the coming sessions without personal data.
@Suite("Job-fair pages")
struct JobFairPageTests {
    @Test("an officer runs a session from the pages; refusals show on the page; a viewer reads only")
    func pages() async throws {
        try await withTestApp { client, tokens, url in
            // setup: an employer with a vacancy and a referred worker with a letter
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await JobFairTests.vacancy(client, key: employer.key)
            let (referral, worker) = try await referWorker(client, tokens, vacancy: vacancy)
            let code = try #require(try await JobFairTests.letterCode(referral, url: url))
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let list = try await browser.get("/job-fairs")
            #expect(list.status == .ok && list.html.contains("Tạo phiên mới") && list.html.contains("Phiên GDVL"))
            let token = try #require(list.csrf)

            // a refused form comes back with the reason, nothing written
            let bad = try await browser.post(
                "/job-fairs",
                [
                    ("_csrf", token), ("title", "Phiên thử"), ("held_on", "31/02/2026"), ("place", "Trung tâm"), ("ward_code", Sample.ward),
                    ("kind", "fixed"),
                ]
            )
            #expect(bad.status == .unprocessableContent && bad.html.contains("role=\"alert\""))
            #expect(try await rowCount("job_fairs", url: url) == 0)

            // act: the whole session
            let created = try await browser.post(
                "/job-fairs",
                [
                    ("_csrf", token), ("title", "Phiên GDVL lưu động"), ("held_on", LocalDate.today().vietnamese), ("place", "Nhà văn hóa"),
                    ("ward_code", Sample.ward), ("kind", "mobile"),
                ]
            )
            let location = try #require(created.location, "\(created.status) \(created.html)")
            let path = String(location.prefix { $0 != "?" })
            #expect(try await browser.post(path + "/employers", [("_csrf", token), ("employer_id", "\(employer.id)")]).status == .seeOther)
            #expect(try await browser.post(path + "/vacancies", [("_csrf", token), ("vacancy_id", "\(vacancy)")]).status == .seeOther)
            let unknown = try await browser.post(path + "/check-ins", [("_csrf", token), ("letter_code", "ZZZZZ-ZZZZZ")])
            #expect(unknown.status == .unprocessableContent && unknown.html.contains("Không có giấy giới thiệu nào mang mã"))
            #expect(try await browser.post(path + "/check-ins", [("_csrf", token), ("letter_code", code)]).status == .seeOther)
            let page = try await browser.get(path)
            #expect(page.html.contains("Giấy giới thiệu") && page.html.contains("Trần Thị Bình"))
            let attendance = try #require(try await Self.single("SELECT id FROM job_fair_attendances WHERE worker_id = \(worker)", url: url))
            let interviewed = try await browser.post(
                path + "/interviews",
                [("_csrf", token), ("attendance_id", "\(attendance)"), ("vacancy_id", "\(vacancy)")]
            )
            #expect(interviewed.status == .seeOther)
            let interview = try #require(try await Self.single("SELECT id FROM job_fair_interviews", url: url))
            #expect(try await browser.post(path + "/interviews/\(interview)/offer", [("_csrf", token)]).status == .seeOther)
            let hired = try await browser.post(
                path + "/interviews/\(interview)/hire",
                [("_csrf", token), ("start_date", LocalDate.today().vietnamese), ("contract_type", "seasonal"), ("wage_vnd", "5.500.000")]
            )
            #expect(hired.status == .seeOther, "\(hired.html)")

            // a walk-in registered with the usual form: refused at its field first, then registered and checked in
            #expect(try await browser.get(path + "/walk-in").html.contains("Đăng ký và ghi vào phiên"))
            let walkIn: [(String, String)] = [
                ("_csrf", token), ("full_name", "Đỗ Văn Em"), ("birth_date", "01/05/1990"), ("sex", "male"), ("ward_code", Sample.ward),
                ("job_seeking_status", "seeking"),
            ]
            let refused = try await browser.post(path + "/walk-in", walkIn.map { $0.0 == "birth_date" ? ($0.0, "31/02/1990") : $0 })
            #expect(refused.status == .unprocessableContent && refused.html.contains("Đăng ký tại chỗ"))
            #expect(try await rowCount("workers WHERE full_name = 'Đỗ Văn Em'", url: url) == 0)
            let registered = try await browser.post(path + "/walk-in", walkIn)
            #expect(registered.status == .seeOther, "\(registered.html)")
            #expect(
                try await rowCount(
                    "job_fair_attendances a JOIN workers w ON w.id = a.worker_id WHERE w.full_name = 'Đỗ Văn Em' AND a.means = 'walk_in'",
                    url: url
                ) == 1
            )

            // verify: the report page, the viewer's read-only page, the board
            let report = try await browser.get(path + "/report")
            #expect(report.status == .ok && report.html.contains("Được tính vào chỉ tiêu giải quyết việc làm"))
            #expect(report.html.contains("<th scope=\"row\">Được tuyển dụng</th><td class=\"num\">1</td>"))
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            let seen = try await viewer.get(path)
            #expect(seen.status == .ok && seen.html.contains("Đã tuyển") && !seen.html.contains("Ghi vào phiên"))
            #expect(try await viewer.get(path + "/walk-in").status == .forbidden)

            // cancelling asks for the tick first, then the session takes nothing more
            let unticked = try await browser.post(path + "/cancel", [("_csrf", token)])
            #expect(unticked.status == .unprocessableContent && unticked.html.contains("Đánh dấu ô xác nhận để hủy phiên"))
            #expect(try await rowCount("job_fairs WHERE cancelled_at IS NOT NULL", url: url) == 0)
            #expect(try await browser.post(path + "/cancel", [("_csrf", token), ("confirm", "1")]).status == .seeOther)
            #expect(try await rowCount("job_fairs WHERE cancelled_at IS NOT NULL", url: url) == 1)
            #expect(!(try await browser.get(path).html.contains("Ghi vào phiên")), "a cancelled session offers no check-in")
        }
    }

    @Test("the public board lists the coming sessions with their employers, not past or cancelled ones, and no one who came")
    func board() async throws {
        try await withTestApp(configure: { $0.publicBoardRefresh = .seconds(1) }) { client, tokens, url in
            // setup: a session tomorrow with an employer and a worker, one cancelled, one past
            let employer = try await TestEmployer.make(client, tokens)
            let worker = try await insertWorker("Phạm Thị Duyên", url: url)
            let tomorrow = LocalDate.today().adding(days: 1).description
            // One transaction: the board, reading every second, never sees the cancelled one before its cancellation.
            try await execute(
                """
                BEGIN;
                INSERT INTO job_fairs (title, held_on, place, ward_code, kind) VALUES
                    ('Phiên sắp tới', DATE '\(tomorrow)', 'Nhà văn hóa', '31321', 'mobile'),
                    ('Phiên đã hủy', DATE '\(tomorrow)', 'Trung tâm', '31321', 'fixed'),
                    ('Phiên đã qua', DATE '2025-03-01', 'Trung tâm', '31321', 'fixed');
                INSERT INTO job_fair_employers (job_fair_id, employer_id) SELECT id, \(employer.id) FROM job_fairs WHERE title = 'Phiên sắp tới';
                INSERT INTO job_fair_attendances (job_fair_id, worker_id, means) SELECT id, \(worker), 'cccd' FROM job_fairs WHERE title = 'Phiên sắp tới';
                UPDATE job_fairs SET cancelled_at = now() WHERE title = 'Phiên đã hủy';
                COMMIT
                """,
                url: url
            )
            // act: wait for the board's next reading
            let html = try await within(.seconds(60), "the board reads the sessions") {
                while true {
                    let html = String(buffer: try await client.execute(uri: "/board", method: .get).body)
                    if html.contains("Phiên sắp tới") { return html }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            // verify
            #expect(html.contains("Phiên giao dịch việc làm sắp tới") && html.contains("Công ty TNHH Cơ khí Hậu Giang") && html.contains("Lưu động"))
            for hidden in ["Phiên đã hủy", "Phiên đã qua", "Phạm Thị Duyên", "<script"] {
                #expect(!html.contains(hidden), "\(hidden)")
            }
        }
    }

    /// One number from the test database.
    static func single(_ sql: String, url: String) async throws -> Int? {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestCluster.logger).first(Int.self)
        }
    }
}
