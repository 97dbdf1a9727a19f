import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Labour abroad through the pages: licensed enterprises, contracts, departure and early return.
@Suite("Web app: labour abroad pages")
struct AbroadPagesTests {
    @Test("add a licensed enterprise and a contract, record the departure and an early return; each refused form comes back with its message")
    func contractFlow() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let empty = try await browser.get("/abroad")
            #expect(empty.status == .ok && empty.html.contains("Chưa có hợp đồng nào.") && empty.html.contains("Chưa có doanh nghiệp dịch vụ nào."))
            #expect(empty.html.contains("href=\"/abroad/contracts/new\"") && empty.html.contains("href=\"/abroad/enterprises/new\""))
            let token = try #require(empty.csrf)
            let today = LocalDate.today()

            // The enterprise.
            let enterpriseForm = try await browser.get("/abroad/enterprises/new")
            #expect(enterpriseForm.status == .ok && enterpriseForm.html.contains("Số giấy phép"))
            let backwards = try await browser.post(
                "/abroad/enterprises/new",
                [
                    ("_csrf", token), ("name", "Công ty Cổ phần Nhân lực Quốc tế Sông Hậu"), ("licence_number", "215/LĐTBXH-GP"),
                    ("licence_valid_from", today.adding(days: -400).vietnamese), ("licence_valid_to", today.adding(days: -800).vietnamese),
                ]
            )
            #expect(backwards.status == .unprocessableContent && backwards.html.contains("Ngày hết hạn phải sau ngày cấp giấy phép."))
            #expect(backwards.html.contains("value=\"Công ty Cổ phần Nhân lực Quốc tế Sông Hậu\""), "what was typed is kept")
            let noLicence = try await browser.post(
                "/abroad/enterprises/new",
                [
                    ("_csrf", token), ("name", "Công ty Cổ phần Nhân lực Quốc tế Sông Hậu"),
                    ("licence_valid_from", today.adding(days: -400).vietnamese),
                ]
            )
            #expect(noLicence.status == .unprocessableContent && noLicence.html.contains("Hãy nhập số giấy phép."))
            let enterprise = try await browser.post(
                "/abroad/enterprises/new",
                [
                    ("_csrf", token), ("name", "Công ty Cổ phần Nhân lực Quốc tế Sông Hậu"), ("licence_number", "215/LĐTBXH-GP"),
                    ("licence_valid_from", today.adding(days: -400).vietnamese),
                ]
            )
            #expect(enterprise.status == .seeOther && enterprise.location == "/abroad?done=enterprise", "\(enterprise.html)")
            let withEnterprise = try await browser.get("/abroad?done=enterprise")
            #expect(withEnterprise.html.contains("Đã thêm doanh nghiệp dịch vụ.") && withEnterprise.html.contains("215/LĐTBXH-GP"))
            #expect(withEnterprise.html.contains("còn hiệu lực"))
            let sameLicence = try await browser.post(
                "/abroad/enterprises/new",
                [
                    ("_csrf", token), ("name", "Công ty khác"), ("licence_number", "215/LĐTBXH-GP"), ("licence_valid_from", today.vietnamese),
                ]
            )
            #expect(sameLicence.status == .conflict && sameLicence.html.contains("Số giấy phép 215/LĐTBXH-GP đã được đăng ký"))

            // The contract.
            let form = try await browser.get("/abroad/contracts/new?worker=\(worker)")
            #expect(
                form.status == .ok && form.html.contains("value=\"\(worker)\"") && form.html.contains("Công ty Cổ phần Nhân lực Quốc tế Sông Hậu")
            )
            #expect(form.html.contains("Nhật Bản") && form.html.contains("Hàn Quốc"))
            let enterpriseID = try #require(
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query("SELECT id FROM overseas_enterprises", logger: TestCluster.logger).first(Int64.self)
                }
            )
            let planned = today.adding(days: 60)
            func contract(_ changes: [String: String] = [:]) -> [(String, String)] {
                var fields = [
                    "worker_id": "\(worker)", "enterprise_id": "\(enterpriseID)", "country": "JP", "occupation_code": "7212",
                    "term_months": "36", "planned_departure": planned.vietnamese, "fee_vnd": "30.000.000", "loan_source": "vbsp",
                ]
                fields.merge(changes) { _, new in new }
                return [("_csrf", token)] + fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            let noCountry = try await browser.post("/abroad/contracts/new", contract(["country": ""]))
            #expect(noCountry.status == .unprocessableContent && noCountry.html.contains("Hãy chọn nước đến."))
            let longTerm = try await browser.post("/abroad/contracts/new", contract(["term_months": "150"]))
            #expect(longTerm.status == .unprocessableContent && longTerm.html.contains("Thời hạn hợp đồng phải từ 1 đến 120 tháng."))
            #expect(longTerm.html.contains("value=\"150\"") && longTerm.html.contains("value=\"JP\" selected"), "what was typed is kept")
            let nobody = try await browser.post("/abroad/contracts/new", contract(["worker_id": "999999"]))
            #expect(nobody.status == .unprocessableContent && nobody.html.contains("Không tìm thấy người lao động có mã 999999."))
            let made = try await browser.post("/abroad/contracts/new", contract())
            #expect(made.status == .seeOther, "\(made.html)")
            let location = try #require(made.location)
            #expect(location.hasPrefix("/abroad/contracts/") && location.hasSuffix("?done=created"))
            let id = String(location.dropFirst("/abroad/contracts/".count).prefix { $0.isNumber })
            let page = try await browser.get(location)
            #expect(page.status == .ok && page.html.contains("Đã ghi nhận hợp đồng.") && page.html.contains("Chờ xuất cảnh"))
            #expect(page.html.contains("<a href=\"/workers/\(worker)\">Trần Thị Bình</a>") && page.html.contains("Nhật Bản"))
            #expect(page.html.contains("30.000.000 ₫") && page.html.contains("Ngân hàng Chính sách xã hội") && page.html.contains("36 tháng"))
            #expect(page.html.contains("7212 · Thợ hàn và thợ cắt kim loại bằng ngọn lửa") && page.html.contains(planned.vietnamese))
            #expect(page.html.contains("action=\"/abroad/contracts/\(id)/departure\"") && !page.html.contains("early-return"))
            #expect(page.missingTemplateValues == nil, "every template value given")
            let list = try await browser.get("/abroad")
            #expect(
                list.html.contains("<a href=\"/abroad/contracts/\(id)\">") && list.html.contains("Nhật Bản")
                    && list.html.contains("dự kiến \(planned.vietnamese)")
            )

            // The departure.
            let future = try await browser.post(
                "/abroad/contracts/\(id)/departure",
                [("_csrf", token), ("departure_date", today.adding(days: 1).vietnamese)]
            )
            #expect(future.status == .unprocessableContent && future.html.contains("Ngày xuất cảnh không thể ở tương lai."))
            #expect(future.html.contains("value=\"\(today.adding(days: 1).vietnamese)\"") && future.html.contains("aria-invalid=\"true\""))
            let blank = try await browser.post("/abroad/contracts/\(id)/departure", [("_csrf", token), ("departure_date", "")])
            #expect(blank.status == .unprocessableContent && blank.html.contains("Hãy nhập ngày xuất cảnh."))
            let departed = try await browser.post("/abroad/contracts/\(id)/departure", [("_csrf", token), ("departure_date", today.vietnamese)])
            #expect(departed.status == .seeOther && departed.location == "/abroad/contracts/\(id)?done=departed")
            let gone = try await browser.get("/abroad/contracts/\(id)?done=departed")
            #expect(gone.html.contains("Đã ghi nhận xuất cảnh") && gone.html.contains("Đã xuất cảnh") && gone.html.contains(today.vietnamese))
            #expect(!gone.html.contains("/departure\"") && gone.html.contains("action=\"/abroad/contracts/\(id)/early-return\""))
            let twice = try await browser.post("/abroad/contracts/\(id)/departure", [("_csrf", token), ("departure_date", today.vietnamese)])
            #expect(twice.status == .conflict && twice.html.contains("Hợp đồng đã ghi nhận xuất cảnh"))
            let record = try await browser.get("/workers/\(worker)")
            #expect(record.html.contains("Đi làm việc ở nước ngoài") && record.html.contains("Nhật Bản"), "the departure is a placement")

            // The early return.
            let noReason = try await browser.post(
                "/abroad/contracts/\(id)/early-return",
                [("_csrf", token), ("return_date", today.vietnamese), ("reason", "")]
            )
            #expect(noReason.status == .unprocessableContent && noReason.html.contains("Hãy nhập lý do về nước trước hạn."))
            let before = try await browser.post(
                "/abroad/contracts/\(id)/early-return",
                [
                    ("_csrf", token), ("return_date", today.adding(days: -1).vietnamese), ("reason", "Ốm, điều trị dài ngày"),
                ]
            )
            #expect(before.status == .unprocessableContent && before.html.contains("Ngày về nước không thể trước ngày xuất cảnh"))
            #expect(before.html.contains("Ốm, điều trị dài ngày</textarea>"), "what was typed is kept")
            let returned = try await browser.post(
                "/abroad/contracts/\(id)/early-return",
                [
                    ("_csrf", token), ("return_date", today.vietnamese), ("reason", "Ốm, điều trị dài ngày"),
                ]
            )
            #expect(returned.status == .seeOther && returned.location == "/abroad/contracts/\(id)?done=returned")
            let back = try await browser.get("/abroad/contracts/\(id)?done=returned")
            #expect(back.html.contains("Đã ghi nhận người lao động về nước trước hạn.") && back.html.contains("Ốm, điều trị dài ngày"))
            #expect(back.html.contains("Về nước trước hạn") && !back.html.contains("action=\"/abroad/contracts/\(id)/early-return\""))
            #expect(try await browser.get("/abroad").html.contains("Về nước trước hạn"))
        }
    }

    @Test("a viewer reads the contracts but gets no write button, and every write form refuses them")
    func viewer() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let contract = try await client.created(
                "/api/staff/overseas-contracts",
                token: tokens.officer,
                [
                    "worker_id": worker, "country": "KR", "occupation_code": "6111", "term_months": 58,
                    "planned_departure": LocalDate.today().adding(days: 30).description,
                ]
            )
            let browser = WebBrowser(client)
            try await browser.signIn("viewer", SignInTests.password)
            let list = try await browser.get("/abroad")
            #expect(list.status == .ok && list.html.contains("Hàn Quốc") && list.html.contains("Trần Thị Bình"))
            #expect(!list.html.contains("href=\"/abroad/contracts/new\"") && !list.html.contains("href=\"/abroad/enterprises/new\""))
            let page = try await browser.get("/abroad/contracts/\(contract)")
            #expect(page.status == .ok && page.html.contains("Hàn Quốc") && page.html.contains("Không qua doanh nghiệp dịch vụ"))
            #expect(!page.html.contains("/departure\""), "no form for a viewer")
            #expect(try await browser.get("/abroad/contracts/new").status == .forbidden)
            #expect(try await browser.get("/abroad/enterprises/new").status == .forbidden)
            let token = try #require(page.csrf)
            #expect(
                try await browser.post(
                    "/abroad/contracts/\(contract)/departure",
                    [("_csrf", token), ("departure_date", LocalDate.today().vietnamese)]
                )
                .status == .forbidden
            )
            #expect(try await browser.post("/abroad/contracts/new", [("_csrf", token), ("worker_id", "\(worker)")]).status == .forbidden)
            #expect(try await browser.get("/abroad/contracts/999999").status == .notFound)
        }
    }
}
