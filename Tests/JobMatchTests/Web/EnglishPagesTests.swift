import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// The web app in English for visiting staff: a catalog with an English word for every template
/// word, and every page walked in English showing no Vietnamese label.
@Suite("Web app in English")
struct EnglishPagesTests {
    static let web = TestCluster.repositoryRoot + "/web"

    @Test("every word of every template has its English, and no English has a Vietnamese letter or loses a value")
    func catalog() async throws {
        let translation = try #require(try WebTranslation.load(directory: Self.web))
        #expect(translation.missing.isEmpty, "template words without English: \(Set(translation.missing).sorted())")
        let entries = try JSONDecoder().decode([String: String].self, from: try Data(contentsOf: URL(fileURLWithPath: Self.web + "/i18n/en.json")))
        for (vietnamese, english) in entries {
            #expect(!Self.hasVietnameseLetter(english), "\(vietnamese) → \(english)")
            #expect(!english.trimmingCharacters(in: .whitespaces).isEmpty, "\(vietnamese) has an English")
            #expect(Self.tags(vietnamese) == Self.tags(english), "\(vietnamese) → \(english): the same Mustache values")
            #expect(
                vietnamese.components(separatedBy: "{}").count == english.components(separatedBy: "{}").count,
                "\(vietnamese) → \(english): the same number of {} holes"
            )
        }
    }

    @Test("the switch keeps the choice in a cookie and comes back to the page; a wrong choice or an outside address is refused")
    func languageSwitch() async throws {
        try await withTestApp { client, _, url in
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            let signIn = try await browser.get("/sign-in")
            #expect(signIn.html.contains("<html lang=\"vi\">") && signIn.html.contains(">English</a>"))
            let switched = try await browser.get("/language?lang=en&next=%2Fsign-in")
            #expect(switched.status == .seeOther && switched.location == "/sign-in")
            #expect(switched.setCookies.contains { $0.hasPrefix("jm_lang=en") && $0.contains("HttpOnly") })
            let english = try await browser.get("/sign-in")
            #expect(english.html.contains("<html lang=\"en\">") && english.html.contains(">Tiếng Việt</a>"))
            #expect(english.html.contains("<h1>Sign in</h1>"), "\(english.html)")
            try await browser.signIn("officer", SignInTests.password)
            let workers = try await browser.get("/workers")
            #expect(workers.html.contains("href=\"/language?lang=vi&amp;next=/workers\""))
            #expect(try await browser.get("/language?lang=vi&next=https://evil.example").location == "/", "only a path of this site")
            #expect(try await browser.get("/language?lang=vi&next=//evil.example").location == "/")
            #expect(try await browser.get("/workers").html.contains("<html lang=\"vi\">"))
            let wrong = try await browser.get("/language?lang=fr&next=/")
            #expect(wrong.status == .unprocessableContent, "\(wrong.status)")
        }
    }

    @Test("every page and every refused form, walked in English as an admin over real records, shows no Vietnamese label")
    func everyPageInEnglish() async throws {
        try await withTestApp { client, tokens, url in
            try await setWebPassword("admin", SignInTests.password, url: url)
            let ids = try await Self.records(client, tokens, url: url)
            let data = try await Self.referenceNames(url: url)
            let routes = try await RouteCatalogueTests.routes(url: url)
            let browser = WebBrowser(client)
            _ = try await browser.get("/language?lang=en&next=/")
            try await browser.signIn("admin", SignInTests.password)
            var walked = 0
            var found: [String] = []
            for route in routes where route.method == .get {
                let path = Self.concrete(route.path, ids: ids)
                let page = try await browser.get(path)
                guard page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                walked += 1
                if Self.vietnameseDocuments.contains(route.path) {
                    #expect(page.html.contains("<html lang=\"vi\">"), "\(path) stays in Vietnamese")
                    continue
                }
                #expect(page.html.contains("<html lang=\"en\">") || !page.html.contains("<html"), "\(path) in English")
                for text in Self.readableTexts(page.html) where Self.hasVietnameseLetter(Self.removing(data, from: text)) {
                    found.append("\(path): \(text)")
                }
            }
            #expect(walked >= 40, "walked \(walked) pages")
            // Every form sent empty: its refusal (the form again, with each field's error) in English too.
            let token = try #require(try await browser.get("/").csrf)
            for route in routes where route.method == .post && route.path != "sign-out" {
                let path = Self.concrete(route.path, ids: ids)
                let page = try await browser.post(path, [("_csrf", token)])
                guard page.status != .seeOther, page.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                walked += 1
                for text in Self.readableTexts(page.html) where Self.hasVietnameseLetter(Self.removing(data, from: text)) {
                    found.append("POST \(path): \(text)")
                }
            }
            #expect(found.isEmpty, "Vietnamese left on English pages:\n\(found.joined(separator: "\n"))")
        }
    }

    /// Documents the centre hands outside, in Vietnamese whatever the reader chose.
    static let vietnameseDocuments: Set<String> = ["referrals/:id/letter", "reports/monthly", "reports/yearly"]

    /// A household, worker, employer, vacancy, referral and job-fair session with a check-in, named without diacritics
    /// (so any Vietnamese letter left on a page is a label, or reference data the test knows).
    static func records(_ client: any TestClientProtocol, _ tokens: TestTokens, url: String) async throws -> [String: Int] {
        var household = Sample.household()
        household["head_name"] = "Nguyen Van An"
        let householdID = try await client.created("/api/staff/households", token: tokens.officer, household)
        var worker = Sample.worker(household: Int64(householdID)).consenting()
        worker["full_name"] = "Tran Thi Binh"
        let workerID = try await client.created("/api/staff/workers", token: tokens.officer, worker)
        var employerBody = Sample.employer()
        employerBody["name"] = "Cong ty Co khi Vi Thanh"
        let employerID = try await client.created("/api/staff/employers", token: tokens.officer, employerBody)
        let key = try await client.issueKey(employer: employerID, token: tokens.officer)
        var vacancy = Sample.vacancy()
        vacancy["title"] = "Welder"
        let vacancyID = Int(try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: key, vacancy).get().id)
        let referralID = try await client.created("/api/staff/referrals", token: tokens.officer, ["vacancy_id": vacancyID, "worker_id": workerID])
        let fairID = try await client.created(
            "/api/staff/job-fairs",
            token: tokens.officer,
            [
                "title": "Job fair Vi Thanh", "held_on": LocalDate.today().adding(days: 7).description, "place": "Hall A", "ward_code": Sample.ward,
                "kind": "fixed",
            ]
        )
        #expect(
            try await client.json(.post, "/api/staff/job-fairs/\(fairID)/employers", token: tokens.officer, ["employer_id": employerID]).status
                == .created
        )
        #expect(
            try await client.json(.post, "/api/staff/job-fairs/\(fairID)/vacancies", token: tokens.officer, ["vacancy_id": vacancyID]).status
                == .created
        )
        let checkIn = try await client.json(.post, "/api/staff/job-fairs/\(fairID)/check-ins", token: tokens.officer, ["cccd": "093190123456"])
        #expect(checkIn.status == .created, "\(checkIn.body)")
        let staffID = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            try await db.query("SELECT id FROM staff_users WHERE username = 'admin'").collect().first?.decode(Int.self) ?? 0
        }
        return [
            "workers": workerID, "households": householdID, "employers": employerID, "vacancies": vacancyID, "referrals": referralID,
            "staff": staffID, "job-fairs": fairID,
        ]
    }

    /// The route's path with each `:parameter` set to the id of the record the test made for its
    /// feature, or to an id no record has (the page then answers "not found", in English too).
    static func concrete(_ path: String, ids: [String: Int]) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let id = parts.first.flatMap { ids[$0] }
        return "/" + parts.map { $0.hasPrefix(":") ? String(id ?? 987_654) : $0 }.joined(separator: "/")
    }

    /// The names of places, occupations, skills and ethnic groups: data from the reference tables,
    /// shown as written, longest first.
    static func referenceNames(url: String) async throws -> [String] {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
            let rows = try await db.query(
                """
                SELECT ward_name FROM wards_2025 UNION SELECT province_name FROM wards_2025
                UNION SELECT ward_name FROM legacy_wards UNION SELECT district_name FROM legacy_wards
                UNION SELECT province_name FROM legacy_wards UNION SELECT title_vi FROM occupations WHERE title_vi IS NOT NULL
                UNION SELECT name_vi FROM skills UNION SELECT name FROM ethnic_groups
                """
            ).collect()
            return try rows.map { try $0.decode(String.self) }.sorted { $0.count > $1.count }
        }
    }

    /// `text` with every known name taken out.
    static func removing(_ names: [String], from text: String) -> String {
        guard Self.hasVietnameseLetter(text) else { return text }
        var rest = text
        for name in names where rest.contains(name) { rest = rest.replacingOccurrences(of: name, with: " ") }
        return rest
    }

    /// What a reader sees or hears on a page: each run of text between tags (scripts and styles
    /// left out) and the read attributes; the language switch's own name is not a label.
    static func readableTexts(_ html: String) -> [String] {
        var texts: [String] = []
        let withoutScripts = html.replacingOccurrences(of: "<(script|style)[^>]*>.*?</\\1>", with: " ", options: .regularExpression)
        for match in withoutScripts.matches(of: /(?:aria-label|placeholder|title|alt)="([^"]*)"/) { texts.append(String(match.1)) }
        for piece in withoutScripts.split(separator: /<[^>]*>/) {
            let text = TemplateMessagesTests.decode(String(piece)).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            if !text.isEmpty && text != "Tiếng Việt" { texts.append(text) }
        }
        return texts
    }

    /// A letter with a Vietnamese diacritic (or đ), which no English word has.
    static func hasVietnameseLetter(_ text: String) -> Bool {
        text.lowercased().contains { Self.vietnameseLetters.contains($0) }
    }

    /// Vietnamese's letters with diacritics, lower case.
    static let vietnameseLetters = Set("àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")

    /// The Mustache tags of a text, for comparing a word with its English.
    static func tags(_ text: String) -> [String] {
        text.matches(of: /\{\{\{?[^}]*\}?\}\}/).map { String($0.0) }.sorted()
    }
}

extension TemplateMessagesTests {
    /// The few character references the templates write, as characters.
    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
    }
}
