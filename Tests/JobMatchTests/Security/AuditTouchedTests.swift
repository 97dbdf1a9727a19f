import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// `jobmatch audit touched`: the people one account read, changed or exported in a window, for a
/// breach notice; acts that name no one (candidates lists, exports) listed apart.
@Suite("Audit: whose data an account touched")
struct AuditTouchedTests {
    @Test(
        "lists the people an officer registered, opened, referred and hired, not those others touched; candidates and exports apart; the window and the CLI agree"
    )
    func touched() async throws {
        try await withTestApp { client, tokens, url in
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = Int(
                try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, Sample.vacancy()).get().id
            )
            var registered = Sample.worker(cccd: "093190111222").consenting()
            registered["full_name"] = "Lâm Thị Cúc"
            let mine = try await client.created("/api/staff/workers", token: tokens.officer, registered)
            var opened = Sample.worker(cccd: "093085333444", birth: "1985-03-09", sex: "male").consenting()
            opened["full_name"] = "Đỗ Văn Khải"
            let viewed = try await client.created("/api/staff/workers", token: tokens.admin, opened)
            var untouched = Sample.worker(cccd: "093190555666").consenting()
            untouched["full_name"] = "Hồ Thị Mai"
            let other = try await client.created("/api/staff/workers", token: tokens.admin, untouched)
            _ = try await client.json(.get, "/api/staff/workers/\(other)", token: tokens.admin)

            #expect(try await client.json(.get, "/api/staff/workers/\(viewed)", token: tokens.officer).status == .ok)
            #expect(try await client.json(.get, "/api/staff/vacancies/\(vacancy)/candidates", token: tokens.officer).status == .ok)
            let referral = try await client.created("/api/staff/referrals", token: tokens.officer, ["vacancy_id": vacancy, "worker_id": mine])
            let today = LocalDate.today()
            #expect(
                try await client.json(.post, "/api/staff/referrals/\(referral)/hire", token: tokens.officer, ["start_date": today.description]).status
                    == .ok
            )
            let month = String(today.description.prefix(7))
            #expect(
                try await client.execute(
                    uri: "/api/staff/exports/placements?month=\(month)&format=csv",
                    method: .get,
                    headers: [.authorization: "Bearer \(tokens.officer)"]
                ).status == .ok
            )
            _ = try await client.json(.put, "/api/staff/matching/weights", token: tokens.officer, ["weights": [:]])  // refused: not audited

            let report = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await AuditTouched.load(username: "officer", from: today.adding(days: -1), to: today, client: db, logger: TestCluster.logger)
            }
            let acts = report.persons.map { "\($0.workerID) \($0.action) \($0.entity)" }
            #expect(acts.contains("\(mine) create worker"), "\(acts)")
            #expect(acts.contains("\(viewed) view worker"), "\(acts)")
            #expect(acts.contains("\(mine) refer referral"), "\(acts)")
            #expect(acts.contains("\(mine) hired referral"), "\(acts)")
            #expect(!report.persons.contains { $0.workerID == Int64(other) }, "the admin's reads are not the officer's")
            #expect(report.persons.first { $0.workerID == Int64(mine) }?.fullName == "Lâm Thị Cúc")
            #expect(Set(report.persons.map(\.workerID)) == Set([Int64(mine), Int64(viewed)]))
            #expect(report.unattributed.map { "\($0.action) \($0.entity)" } == ["view_candidates vacancy", "export placements"])
            #expect(report.unattributed.last?.detail.contains(month) == true, "the export's month is kept: \(report.unattributed.last?.detail ?? "")")
            let text = report.render()
            #expect(text.hasPrefix("worker_id\tfull_name\t"))
            #expect(text.contains("\(viewed)\tĐỗ Văn Khải\tview\tworker\t\(viewed)\t\(today)"))
            #expect(text.contains("2 người được ghi tên"))
            #expect(text.contains("ứng viên xếp hạng của vị trí tuyển dụng \(vacancy)"))

            // Another window, another account, no such account.
            let before = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await AuditTouched.load(
                    username: "officer",
                    from: today.adding(days: -30),
                    to: today.adding(days: -1),
                    client: db,
                    logger: TestCluster.logger
                )
            }
            #expect(before.persons.isEmpty && before.unattributed.isEmpty)
            let admin = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await AuditTouched.load(username: "admin", from: today, to: today, client: db, logger: TestCluster.logger)
            }
            #expect(Set(admin.persons.map(\.workerID)) == Set([Int64(viewed), Int64(other)]))
            await #expect(throws: AuditTouched.UnknownAccount.self) {
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await AuditTouched.load(username: "nobody", from: today, to: today, client: db, logger: TestCluster.logger)
                }
            }

            // The command prints the same list.
            let environment = ["DATABASE_URL": url, "JOBMATCH_SQL_DIR": TestCluster.sqlDirectory]
            let cli = try await ChildProcess.run(
                [
                    ChildProcess.jobmatchBinary, "audit", "touched", "--actor", "officer", "--from", today.adding(days: -1).description,
                    "--to", today.description,
                ],
                environment: environment
            )
            #expect(cli.status == 0, "\(cli.output)")
            #expect(cli.output == text, "\(cli.output)")
            let unknown = try await ChildProcess.run(
                [
                    ChildProcess.jobmatchBinary, "audit", "touched", "--actor", "nobody", "--from", today.description,
                    "--to", today.description,
                ],
                environment: environment
            )
            #expect(unknown.status == 1 && unknown.output.contains("Không có tài khoản cán bộ 'nobody'"), "\(unknown.output)")
            let backwards = try await ChildProcess.run(
                [
                    ChildProcess.jobmatchBinary, "audit", "touched", "--actor", "officer", "--from", today.description,
                    "--to", today.adding(days: -1).description,
                ],
                environment: environment
            )
            #expect(backwards.status != 0 && backwards.output.contains("--from must not be after --to"))
        }
    }

    @Test("a household read through the API or its page is audited, so the account's report lists its members")
    func householdReads() async throws {
        try await withTestApp { client, tokens, url in
            // setup: a household with one member, registered by the admin
            let household = try await client.created("/api/staff/households", token: tokens.admin, Sample.household())
            var member = Sample.worker(cccd: "093190777888", household: Int64(household))
            member["full_name"] = "Danh Thị Nhung"
            let worker = try await client.created("/api/staff/workers", token: tokens.admin, member)
            // act: the viewer reads it through the API, the officer through its page
            #expect(try await client.json(.get, "/api/staff/households/\(household)", token: tokens.viewer).status == .ok)
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            #expect(try await browser.get("/households/\(household)").status == .ok)
            // verify
            let today = LocalDate.today()
            for username in ["viewer", "officer"] {
                let report = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await AuditTouched.load(username: username, from: today, to: today, client: db, logger: TestCluster.logger)
                }
                let acts = report.persons.map { "\($0.workerID) \($0.fullName) \($0.action) \($0.entity) \($0.entityID ?? "")" }
                #expect(acts == ["\(worker) Danh Thị Nhung view household \(household)"], "\(username): \(acts)")
            }
        }
    }
}
