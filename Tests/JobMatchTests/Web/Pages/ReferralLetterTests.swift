import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Logging
import PostgresNIO
import Testing

@testable import JobMatch

/// Issue 22, section 2: the referral letter (giấy giới thiệu) staff print, and the public page that
/// tells an employer whether a letter is genuine and current.
@Suite("Referral letter")
struct ReferralLetterTests {
    static let base = "https://vieclam.example.vn"

    static func configure(_ config: inout AppConfig) {
        config.publicBaseURL = Self.base
        config.centrePhone = "0293 3870 123"
        config.reportIssuer = "TRUNG TÂM DỊCH VỤ VIỆC LÀM HẬU GIANG"
    }

    /// A poor household's worker (CCCD, phone, birth date 1990-05-01) referred to a welding vacancy; the referral's id and the worker's.
    static func referral(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> (referral: Int, worker: Int, people: People) {
        let (people, employer, vacancy) = try await People.withVacancy(client, tokens)
        _ = employer
        var body = Sample.worker(cccd: "093190123456", household: Int64(try await people.household("poor")), occupations: ["7212", "7214"])
        body["consents"] = ["referral"]
        body["phone"] = "0912345678"
        let worker = try await client.created("/api/staff/workers", token: tokens.officer, body)
        let referral = try await client.answer(
            CreatedRecord.self,
            .post,
            "/api/staff/referrals",
            token: tokens.officer,
            ["vacancy_id": vacancy, "worker_id": worker]
        ).get().id
        return (referral, worker, people)
    }

    /// The `d` attribute of the first SVG path in `html`.
    static func svgPath(_ html: String) -> String? {
        guard let range = html.range(of: "<path fill=\"#000\" d=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// Audit entries of `action` on referral `id`: their actor kinds and the letter codes recorded.
    static func audits(_ action: String, referral id: Int, url: String) async throws -> [(String, String)] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            let rows = try await db.query(
                "SELECT actor_kind, after->>'letter_code' FROM audit_log WHERE action = \(action) AND entity = 'referral' AND entity_id = \(String(id)) ORDER BY id",
                logger: TestCluster.logger
            )
            var result: [(String, String)] = []
            for try await (kind, code) in rows.decode((String, String).self) { result.append((kind, code)) }
            return result
        }
    }

    @Test(
        "an officer prints the letter: the centre's heading and phone, the worker's name, birth year and occupations, the vacancy, employer, place, day and officer, the code and a QR code of the check's address; no CCCD, phone, birth date or household status; every print audited"
    )
    func printedLetter() async throws {
        try await withTestApp(configure: Self.configure) { client, tokens, url in
            // setup
            let (id, _, people) = try await Self.referral(client, tokens)
            try await setWebPassword("officer", SignInTests.password, url: url)
            let officer = WebBrowser(client)
            try await officer.signIn("officer", SignInTests.password)
            // act
            let page = try await officer.get("/referrals/\(id)/letter")
            let link = try await client.staff(ReferralLetterLink.self, .get, "/api/staff/referrals/\(id)/letter", token: tokens.officer)
            // verify: what the letter says
            #expect(page.status == .ok)
            let today = LocalDate.today()
            for text in [
                "TRUNG TÂM DỊCH VỤ VIỆC LÀM HẬU GIANG", "Điện thoại: 0293 3870 123", "GIẤY GIỚI THIỆU", "Kính gửi: Công ty TNHH Cơ khí Hậu Giang",
                "<dd class=\"strong\">Trần Thị Bình</dd>", "<dt>Năm sinh:</dt><dd>1990</dd>", "Thợ hàn", "Phường Vị Thanh, Thành phố Cần Thơ",
                "ngày \(today.day) tháng \(today.month) năm \(today.year)", "<p class=\"letter-officer\">officer</p>",
                "Quét mã QR hoặc nhập mã tại \(Self.base)/letters",
                // her occupations by their Vietnamese titles, the vacancy's first
                "<dt>Nghề tìm việc:</dt><dd>Thợ hàn và thợ cắt kim loại bằng ngọn lửa, ",
            ] {
                #expect(page.html.contains(text), "\(text)")
            }
            #expect(!page.html.contains("PUBLIC_BASE_URL"), "the address is set: no warning")
            for hidden in ["093190123456", "0912345678", "01/05/1990", "1990-05-01", "Hộ nghèo", "nghèo"] {
                #expect(!page.html.contains(hidden), "the letter shows no \(hidden)")
            }
            // the code: 10 Crockford characters, shown in two groups, and the QR code holds the check's address
            let code = try #require(LetterCode(link.code))
            #expect(link.code == code.value && link.current)
            #expect(link.verificationUrl == "\(Self.base)/letters/\(code.value)")
            #expect(page.html.contains("Mã kiểm tra: <span class=\"letter-code\">\(code.grouped)</span>"))
            let expected = try QRCode(text: link.verificationUrl)
            #expect(Self.svgPath(page.html) == Self.svgPath(expected.svg(label: "")))
            // printed again: the same code; both prints and the API's read are in the audit log
            let again = try await officer.get("/referrals/\(id)/letter")
            #expect(again.html.contains(code.grouped))
            #expect(try await Self.audits("print_letter", referral: id, url: url).map(\.0) == ["staff", "staff"])
            #expect(try await Self.audits("read_letter", referral: id, url: url).map(\.1) == [code.value])
            // the referral's page links to it
            #expect(try await officer.get("/referrals/\(id)").html.contains("href=\"/referrals/\(id)/letter\">In giấy giới thiệu</a>"))

            // a viewer may read it too; a proposal has no letter yet; an unknown referral is not found
            try await setWebPassword("viewer", SignInTests.password, url: url)
            let viewer = WebBrowser(client)
            try await viewer.signIn("viewer", SignInTests.password)
            #expect(try await viewer.get("/referrals/\(id)/letter").status == .ok)
            let other = try await people.worker("Lê Văn Tư")
            let vacancy = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("SELECT vacancy_id FROM referrals WHERE id = \(id)", logger: TestCluster.logger).first(Int64.self)
            }
            let proposal = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": try #require(vacancy), "worker_id": other, "status": "proposed"]
            ).get().id
            let refused = try await officer.get("/referrals/\(proposal)/letter")
            #expect(refused.status == .conflict && refused.html.contains("chưa giới thiệu"))
            #expect(!(try await officer.get("/referrals/\(proposal)").html.contains("In giấy giới thiệu")))
            #expect(try await client.json(.get, "/api/staff/referrals/\(proposal)/letter", token: tokens.viewer).status == .conflict)
            #expect(try await client.json(.get, "/api/staff/referrals/987654/letter", token: tokens.viewer).status == .notFound)
            #expect(try await Self.audits("print_letter", referral: proposal, url: url).isEmpty, "a refusal records nothing")
        }
    }

    @Test(
        "anyone checks a letter by its code without signing in: current while referred, ended once withdrawn; case, spaces and dashes do not matter; an unknown code is a 404 that says nothing; nothing personal is logged"
    )
    func publicCheck() async throws {
        let recorder = LogRecorder()
        var logger = Logger(label: "letters", factory: recorder.handler)
        logger.logLevel = .info
        try await withTestApp(logger: logger, configure: Self.configure) { client, tokens, url in
            // setup
            let (id, _, _) = try await Self.referral(client, tokens)
            let code = try #require(
                LetterCode(try await client.staff(ReferralLetterLink.self, .get, "/api/staff/referrals/\(id)/letter", token: tokens.officer).code)
            )
            let anonymous = WebBrowser(client)
            // act
            let page = try await anonymous.get("/letters/\(code.value)")
            // verify: the state in words, and only what the letter shows
            #expect(page.status == .ok)
            for text in [
                "Còn hiệu lực", code.grouped, "Trần Thị Bình", "<dd>1990</dd>", "Thợ hàn", "Công ty TNHH Cơ khí Hậu Giang",
                LocalDate.today().vietnamese,
            ] {
                #expect(page.html.contains(text), "\(text)")
            }
            for hidden in ["093190123456", "0912345678", "01/05/1990", "nghèo", "officer", "Phường Vị Thanh", "<script"] {
                #expect(!page.html.lowercased().contains(hidden.lowercased()), "the check shows no \(hidden)")
            }
            let typed = "  " + code.grouped.lowercased().replacingOccurrences(of: "-", with: " - ") + " "
            let form = try await anonymous.get("/letters?code=\(WebBrowser.encode(typed))")
            #expect(form.status == .ok && form.html.contains("Còn hiệu lực"))
            let empty = try await anonymous.get("/letters")
            #expect(empty.status == .ok && empty.html.contains("Mã trên giấy giới thiệu") && !empty.html.contains("hiệu lực"))

            // unknown, malformed: the same 404 page, naming no one
            let taken = Set([code.value])
            let unknown = ["ZZZZZZZZZZ", "0000000000"].first { !taken.contains($0) }!
            for path in ["/letters/\(unknown)", "/letters?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/letters/093190123456"] {
                let answer = try await anonymous.get(path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(answer.html.contains("Không tìm thấy giấy giới thiệu có mã này."), "\(path)")
                #expect(!answer.html.contains("Trần Thị Bình") && !answer.html.contains("<script>alert"), "\(path)")
            }

            // withdrawn: the same letter is no longer current
            #expect(
                try await client.json(.post, "/api/staff/referrals/\(id)/withdraw", token: tokens.officer, ["reason": "Đã có việc khác"]).status
                    == .ok
            )
            let ended = try await anonymous.get("/letters/\(code.value)")
            #expect(ended.status == .ok && ended.html.contains("Đã hết hiệu lực") && !ended.html.contains("Còn hiệu lực"))

            // the checks were logged, without the name, the code or what was typed
            let log = recorder.lines.withLock { $0.filter { $0.hasPrefix("Letter check") } }
            #expect(log.count == 6, "\(log)")
            for secret in ["Trần Thị Bình", "093190123456", "1990", "script"] {
                #expect(!log.joined().contains(secret), "\(secret) logged")
            }
            _ = url
        }
    }

    @Test("a burst of checks from one address is slowed with 429 and a Vietnamese page")
    func rateLimited() async throws {
        try await withTestApp(configure: Self.configure) { client, _, _ in
            let anonymous = WebBrowser(client)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<200 {
                let answer = try await anonymous.get("/letters/ZZZZZZZZZZ")
                statuses.append(answer.status)
                if answer.status == .tooManyRequests {
                    #expect(answer.html.contains("quá nhiều lượt tra cứu") && Int(answer.headers[.retryAfter] ?? "") ?? 0 >= 1)
                    break
                }
            }
            #expect(statuses.last == .tooManyRequests, "\(statuses.count) checks, none refused")
            #expect(statuses.dropLast().allSatisfy { $0 == .notFound })
            // the form alone is not counted
            #expect(try await anonymous.get("/letters").status == .ok)
        }
    }

    @Test("the database draws a code when a worker is referred, never for a proposal, keeps codes unique and refuses a referral without one")
    func codesInTheDatabase() async throws {
        try await withTestApp { client, tokens, url in
            // setup: one worker referred, one proposed
            let (people, _, vacancy) = try await People.withVacancy(client, tokens)
            let referred = try await people.worker("Lê Văn Một")
            let proposed = try await people.worker("Lê Văn Hai")
            let first = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": referred]
            ).get().id
            let second = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/referrals",
                token: tokens.officer,
                ["vacancy_id": vacancy, "worker_id": proposed, "status": "proposed"]
            ).get().id
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                let code = { (id: Int) in
                    try await db.query("SELECT letter_code FROM referrals WHERE id = \(id)", logger: TestCluster.logger).first(String?.self) ?? nil
                }
                // verify: the referral has a code of the letter's form, the proposal none until accepted
                let firstCode = try #require(try await code(first))
                #expect(LetterCode(firstCode)?.value == firstCode)
                #expect(try await code(second) == nil)
                #expect(try await client.json(.post, "/api/staff/referrals/\(second)/accept", token: tokens.officer).status == .ok)
                let secondCode = try #require(try await code(second))
                #expect(secondCode != firstCode && LetterCode(secondCode) != nil)
                // the database refuses a referral without its code, a code of another form, and a code twice
                let set = { (value: String?) in
                    try await sqlState {
                        try await db.query("UPDATE referrals SET letter_code = \(value) WHERE id = \(first)", logger: TestCluster.logger)
                    }
                }
                #expect(try await set(nil) == "23514")
                #expect(try await set("ILOU000000") == "23514")
                #expect(try await set(secondCode) == "23505")
                #expect(try await code(first) == firstCode)
            }
        }
    }
}
