import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

/// The outbox page: states and filters, phones for officers only (audited), and "In danh sách",
/// which marks what waits as printed and gives the printable list and its CSV file.
@Suite("Web app: messages to workers")
struct MessagePagesTests {
    @Test(
        "the outbox lists messages with their states and filters them; printing marks them printed and gives the list and a CSV file; viewers see no phone"
    )
    func outbox() async throws {
        try await withTestApp { client, tokens, url in
            // setup: Lan consents to messages and is referred (one message queued); a consent given from her record's form
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await client.answer(
                Components.Schemas.Vacancy.self,
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                Sample.vacancy()
            ).get().id
            let (_, lan) = try await referWorker(client, tokens, vacancy: Int(vacancy), consents: ["referral", "messages"])
            try await setWebPassword("officer", SignInTests.password, url: url)
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let officer = WebBrowser(client)
            try await officer.signIn("officer", SignInTests.password)

            // the worker's record offers the purpose with its Vietnamese label
            let record = try await officer.get("/workers/\(lan)")
            #expect(record.html.contains("Nhận tin nhắn (SMS)"))

            // verify: the outbox with the message, its phone and state; filtered out by another kind
            let page = try await officer.get("/messages")
            #expect(page.status == .ok)
            for text in ["Tin nhắn cho người lao động", "Thợ hàn", "0912345678", "Chờ gửi", "In danh sách", "Chưa cấu hình cổng nhắn tin"] {
                #expect(page.html.contains(text), "\(text)")
            }
            #expect(try await rowCount("audit_log WHERE action = 'view' AND entity = 'worker_messages'", url: url) == 1)
            let other = try await officer.get("/messages?kind=follow_up")
            #expect(other.status == .ok && !other.html.contains("0912345678") && other.html.contains("Không có tin nhắn nào."))
            #expect(try await officer.get("/messages?state=lost").status == .unprocessableContent)

            // a viewer sees the outbox without phones, cannot print or open a printed list
            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            let seen = try await viewer.get("/messages")
            #expect(seen.status == .ok && !seen.html.contains("0912345678") && seen.html.contains(PersonalDataMask.phone("0912345678")))
            #expect(!seen.html.contains("action=\"/messages/print\""))

            // act: print
            let printed = try await officer.post("/messages/print", [("_csrf", page.csrf ?? ""), ("kind", "")])
            let location = try #require(printed.location)
            #expect(printed.status == .seeOther && location.hasPrefix("/messages/print/"), "\(printed.status)")
            let list = try await officer.get(location)
            #expect(list.status == .ok)
            for text in ["DANH SÁCH TIN NHẮN CẦN GỬI", "Trần Thị Bình", "0912345678", "Thợ hàn", "Tải tệp CSV", "data-print"] {
                #expect(list.html.contains(text), "\(text)")
            }
            #expect(try await rowCount("worker_messages WHERE state = 'printed' AND printed_at IS NOT NULL", url: url) == 1)
            let file = try await officer.get(location + "/file")
            #expect(file.status == .ok && file.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(file.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(file.html.contains("Điện thoại") && file.html.contains("0912345678") && file.html.contains("Thợ hàn"))
            #expect(try await rowCount("audit_log WHERE action = 'print' AND entity = 'worker_messages'", url: url) == 1)
            #expect(try await rowCount("audit_log WHERE action = 'export' AND entity = 'worker_messages'", url: url) == 2)
            #expect(try await viewer.get(location).status == .forbidden)

            // nothing left to print; the printed one shows its state
            let again = try await officer.post("/messages/print", [("_csrf", page.csrf ?? ""), ("kind", "")])
            #expect(again.location == "/messages?done=none")
            let after = try await officer.get("/messages?state=printed")
            #expect(after.html.contains("Đã in") && after.html.contains("Thợ hàn"))
            #expect(try await officer.get("/messages/print/987654").status == .notFound)
        }
    }
}
