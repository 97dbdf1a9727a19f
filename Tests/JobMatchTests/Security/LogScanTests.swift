import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

#if canImport(Glibc)
import Glibc
#endif

/// The built `jobmatch serve`, on its own embedded database, logging at `trace`, runs a day's work
/// with people's data (registration, a duplicate, searches by CCCD and phone over the API and the
/// web app, a record opened, an edit, a referral the employer reads, an export, a wrong password);
/// then its whole output and every log file of its PostgreSQL are searched for each CCCD, phone
/// number, password, token, key and session cookie used. None may appear.
@Suite("No personal data or secret in any log of a live server")
struct LogScanTests {
    /// curl with a cookie jar: returns the status and body.
    static func web(_ method: String, _ url: String, jar: String, form: [(String, String)] = []) async throws -> (code: String, body: String) {
        var arguments = ["/usr/bin/curl", "-s", "-X", method, "-b", jar, "-c", jar, "-w", "\n%{http_code}", url]
        for (name, value) in form { arguments += ["--data-urlencode", "\(name)=\(value)"] }
        let result = try await ChildProcess.run(arguments)
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
    }

    /// The value of the first hidden `_csrf` field of a page.
    static func csrf(_ html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    /// The `id` of a JSON answer.
    static func id(_ body: String) -> Int? {
        (try? body.decoded(CreatedRecord.self))?.id
    }

    /// Every log file under the cluster's home: `log/` and any log directory of the data directory.
    static func logFiles(home: String) -> [String] {
        let all = FileManager.default.enumerator(atPath: home)?.compactMap { $0 as? String } ?? []
        return all.filter { path in
            let parts = path.split(separator: "/")
            return parts.contains("log") || parts.contains("pg_log") || path.hasSuffix(".log")
        }.map { home + "/" + $0 }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    @Test(
        "a trace-level workload over the API and the web app leaves no CCCD, phone, password, token, key or cookie in the service's or PostgreSQL's logs"
    )
    func scan() async throws {
        let home = LiveServer.temporaryHome("jm-logscan")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let jar = home + "-cookies.txt"
        defer { try? FileManager.default.removeItem(atPath: jar) }
        let port = try LiveServer.freePort()
        let environment = LiveServer.environment(["LOG_LEVEL": "trace"])
        let token = try await LiveServer.addStaff("canbo", home: home, environment: environment)
        #expect(token.hasPrefix("jms_"))
        let password = "Lua-gao-2026"
        let wrongPassword = "Sai-mat-khau-9"
        try await LiveServer.setPassword("canbo", password, home: home, environment: environment)

        let cccds = ["093190246813", "093085135792"]
        let phones = ["0912468013", "0987135792"]
        var secrets = [token, password, wrongPassword] + cccds + phones + phones.map { String($0.dropFirst()) }
        let server = try await LiveServer.serving(home: home, port: port, environment: environment) { server in
            try await LiveServer.waitUntilHealthy(port: port, server: server)
            let base = "http://127.0.0.1:\(port)"
            let household = try await LiveServer.http(
                "POST",
                base + "/api/staff/households",
                token: token,
                json: #"{"head_name":"Lê Văn Lộc","ward_code":"31321","status":"poor","status_valid_from":"2025-01-01"}"#
            )
            let householdID = try #require(Self.id(household.body), "\(household.body)")
            var workers: [Int] = []
            for (index, (cccd, phone)) in zip(cccds, phones).enumerated() {
                let birth = index == 0 ? "1990-05-01" : "1985-03-09"
                let sex = index == 0 ? "female" : "male"
                let json = """
                    {"full_name":"Phạm Thị Hồng Nhung","cccd":"\(cccd)","birth_date":"\(birth)","sex":"\(sex)","ward_code":"31321",
                     "household_id":\(householdID),"occupation_codes":["7531"],"phone":"\(phone)","consents":["referral","share_contact_with_employer"]}
                    """
                let created = try await LiveServer.http("POST", base + "/api/staff/workers", token: token, json: json)
                workers.append(try #require(Self.id(created.body), "\(created.code) \(created.body)"))
                #expect(try await LiveServer.http("POST", base + "/api/staff/workers", token: token, json: json).code == "409", "a duplicate CCCD")
            }
            for query in [cccds[0], String(cccds[1].suffix(6)), phones[0], String(phones[1].suffix(4))] {
                #expect(try await LiveServer.http("GET", base + "/api/staff/workers?q=\(query)", token: token).code == "200")
            }
            #expect(try await LiveServer.http("GET", base + "/api/staff/workers/\(workers[0])", token: token).code == "200")
            #expect(
                try await LiveServer.http("PATCH", base + "/api/staff/workers/\(workers[1])", token: token, json: #"{"phone":"0977000111"}"#).code
                    == "200"
            )
            secrets += ["0977000111"]
            // An invalid CCCD (wrong birth year) is refused with a message that must not be logged with the number.
            let refused = try await LiveServer.http(
                "POST",
                base + "/api/staff/workers",
                token: token,
                json: """
                    {"full_name":"Võ Văn Tám","cccd":"093199999111","birth_date":"1980-01-01","sex":"male","ward_code":"31321","occupation_codes":["7531"]}
                    """
            )
            #expect(refused.code == "422")
            secrets += ["093199999111"]

            // The employer side: a key, a vacancy, a referral it reads.
            let employer = try await LiveServer.http(
                "POST",
                base + "/api/staff/employers",
                token: token,
                json: #"{"name":"Công ty TNHH May Vị Thanh","tax_code":"0100109106","ward_code":"31321"}"#
            )
            let employerID = try #require(Self.id(employer.body), "\(employer.body)")
            let keyAnswer = try await LiveServer.http("POST", base + "/api/staff/employers/\(employerID)/keys", token: token, json: "{}")
            let key = try #require(try? keyAnswer.body.decoded(IssuedKey.self, snakeCase: true), "\(keyAnswer.body)").apiKey
            secrets.append(key)
            let vacancy = try await LiveServer.http(
                "POST",
                base + "/api/v1/vacancies",
                token: key,
                json: """
                    {"title":"Thợ may","occupation_code":"7531","ward_code":"31321","slots":3,"closing_date":"\(LocalDate.today().adding(days: 30).description)"}
                    """
            )
            let vacancyID = try #require(Self.id(vacancy.body), "\(vacancy.body)")
            #expect(try await LiveServer.http("GET", base + "/api/staff/vacancies/\(vacancyID)/candidates", token: token).code == "200")
            let referral = try await LiveServer.http(
                "POST",
                base + "/api/staff/referrals",
                token: token,
                json: #"{"vacancy_id":\#(vacancyID),"worker_id":\#(workers[0])}"#
            )
            let referralID = try #require(Self.id(referral.body), "\(referral.body)")
            let seen = try await LiveServer.http("GET", base + "/api/v1/referrals/\(referralID)", token: key)
            #expect(seen.code == "200" && seen.body.contains(phones[0]), "the employer reads the phone it may see: \(seen.body)")
            #expect(try await LiveServer.http("GET", base + "/api/v1/referrals?vacancy_id=\(vacancyID)", token: key).code == "200")
            #expect(
                try await LiveServer.http(
                    "POST",
                    base + "/api/v1/referrals/\(referralID)/hire",
                    token: key,
                    json: #"{"start_date":"\#(LocalDate.today().description)"}"#
                ).code == "200"
            )
            // An employer's hire counts once staff confirm it.
            let awaiting = try await LiveServer.http("GET", base + "/api/staff/placements/awaiting-confirmation", token: token)
            let placementID = try #require(awaiting.body.firstMatch(of: /"id":(\d+)/).map { String($0.1) }, "\(awaiting.body)")
            #expect(try await LiveServer.http("POST", base + "/api/staff/placements/\(placementID)/confirm", token: token, json: "{}").code == "200")
            let month = String(LocalDate.today().description.prefix(7))
            let export = try await LiveServer.http("GET", base + "/api/staff/exports/placements?month=\(month)&format=csv&cccd=full", token: token)
            #expect(export.code == "200" && export.body.contains(cccds[0]), "the export holds the person (whole CCCD for an officer)")

            // The web app: a wrong password, sign in, search by CCCD and phone, open the record, sign out.
            let form = try await Self.web("GET", base + "/sign-in", jar: jar)
            let wrong = try await Self.web(
                "POST",
                base + "/sign-in",
                jar: jar,
                form: [("_csrf", Self.csrf(form.body) ?? ""), ("next", "/"), ("username", "canbo"), ("password", wrongPassword)]
            )
            #expect(wrong.code == "401")
            let again = try await Self.web("GET", base + "/sign-in", jar: jar)
            let signedIn = try await Self.web(
                "POST",
                base + "/sign-in",
                jar: jar,
                form: [("_csrf", Self.csrf(again.body) ?? ""), ("next", "/"), ("username", "canbo"), ("password", password)]
            )
            #expect(signedIn.code == "303")
            let cookie =
                try String(contentsOfFile: jar, encoding: .utf8).split(separator: "\n")
                .first { $0.contains("jm_session") }.map { String($0.split(separator: "\t").last ?? "") } ?? ""
            #expect(cookie.count > 20, "the session cookie was set")
            secrets.append(cookie)
            let page = try await Self.web("GET", base + "/workers", jar: jar)
            let csrf = try #require(Self.csrf(page.body))
            for query in [cccds[0], phones[0]] {
                let found = try await Self.web("POST", base + "/workers", jar: jar, form: [("_csrf", csrf), ("q", query)])
                #expect(found.code == "200" && found.body.contains("/workers/\(workers[0])"), "the web search by \(query) finds her")
            }
            #expect(try await Self.web("GET", base + "/workers/\(workers[0])", jar: jar).code == "200")
            #expect(try await Self.web("POST", base + "/sign-out", jar: jar, form: [("_csrf", csrf)]).code == "303")

            // Statements the database refuses (as two registrations racing for one CCCD, or a row
            // breaking a CHECK, would be): PostgreSQL's error report must not quote the values.
            let cluster = try EmbeddedPostgres(home: home, logger: TestCluster.logger)
            try await TestCluster.withClient(cluster.clientConfiguration(database: "jobmatch")) { db in
                // With bound values, as the service sends every value.
                let statements: [(PostgresQuery, String)] = [
                    ("UPDATE workers SET cccd = \(cccds[0]) WHERE id = \(workers[1])", "23505"),
                    ("UPDATE workers SET full_name = \(" Phạm") WHERE id = \(workers[0])", "23514"),
                ]
                for (statement, refusal) in statements {
                    let state = try await sqlState { _ = try await db.query(statement, logger: TestCluster.logger) }
                    #expect(state == refusal, "\(statement.sql)")
                }
            }
        }

        let output = server.output
        #expect(output.contains("\"level\":\"trace\"") || output.contains("trace"), "the server logged at trace")
        #expect(output.replacingOccurrences(of: "\\/", with: "/").contains("/api/staff/workers"), "requests were logged")
        let files = Self.logFiles(home: home)
        #expect(!files.isEmpty, "PostgreSQL's log files were found under \(home)")
        var logs = [("serve output", output)]
        for file in files {
            logs.append(
                (
                    file,
                    (try? String(contentsOfFile: file, encoding: .utf8))
                        ?? String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data(), as: UTF8.self)
                )
            )
        }
        #expect(logs.contains { $0.1.contains("database system is ready") }, "the PostgreSQL log was read")
        #expect(
            logs.contains { $0.1.contains("workers_cccd_key") && $0.1.contains("workers_full_name_check") },
            "the refused statements were logged (without their values)"
        )
        for (name, text) in logs {
            for secret in secrets where !secret.isEmpty {
                if let range = text.range(of: secret) {
                    let start = text.index(range.lowerBound, offsetBy: -200, limitedBy: text.startIndex) ?? text.startIndex
                    let end = text.index(range.upperBound, offsetBy: 200, limitedBy: text.endIndex) ?? text.endIndex
                    Issue.record("\(name) contains \(secret.prefix(6))…: \(text[start..<end])")
                }
            }
        }
    }
}
