import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Issue 22, section 1: job-fair sessions through the staff API on the real database: employers and
/// the vacancies they bring, check-in three ways, interviews, offers and a hire that becomes a counted
/// `job_fair` placement naming the session, the report, and refusals that change nothing.
@Suite("Job-fair sessions")
struct JobFairTests {
    /// A vacancy of employer `key` (through the employer API); returns its id.
    static func vacancy(_ client: any TestClientProtocol, key: String, slots: Int = 2) async throws -> Int {
        let answer = try await client.json(.post, "/api/v1/vacancies", token: key, Sample.vacancy(slots: slots))
        return try #require(answer.body["id"] as? Int, "\(answer.status) \(answer.body)")
    }

    @Test(
        "a session takes employers and their vacancies, checks workers in by CCCD, letter code or on the spot, once each; a hire is a counted job_fair placement of the session"
    )
    func wholeSession() async throws {
        try await withTestApp { client, tokens, url in
            // setup: an employer with a vacancy, another employer's vacancy, a worker referred (with a
            // letter) and one registered with a CCCD
            let employer = try await TestEmployer.make(client, tokens)
            let other = try await TestEmployer.make(client, tokens, taxCode: "0301234562")
            let vacancy = try await Self.vacancy(client, key: employer.key)
            let otherVacancy = try await Self.vacancy(client, key: other.key)
            let (referral, referred) = try await referWorker(client, tokens, vacancy: vacancy)
            let code = try #require(try await Self.letterCode(referral, url: url))
            let registered = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker(cccd: "093190654321"))
            let today = LocalDate.today().description
            let fairBody: [String: Any] = [
                "title": "Phiên GDVL tháng 12", "held_on": today, "place": "Nhà văn hóa phường", "ward_code": Sample.ward, "kind": "fixed",
            ]

            // bad sessions are refused at their field, nothing written
            for (change, field) in [("title", "title"), ("held_on", "held_on"), ("ward_code", "ward_code"), ("kind", "kind")] {
                var body = fairBody
                body[change] = change == "ward_code" ? "99999" : change == "held_on" ? "2020-02-30" : change == "kind" ? "big" : ""
                let answer = try await client.json(.post, "/api/staff/job-fairs", token: tokens.officer, body)
                #expect(answer.status == .unprocessableContent && answer.body["field"] as? String == field, "\(change): \(answer.body)")
            }
            #expect(try await client.json(.post, "/api/staff/job-fairs", token: tokens.viewer, fairBody).status == .forbidden)
            #expect(try await rowCount("job_fairs", url: url) == 0)

            // act: the session, its employer and vacancy
            let created = try await client.json(.post, "/api/staff/job-fairs", token: tokens.officer, fairBody)
            #expect(created.status == .created && created.body["state"] as? String == "held", "\(created.body)")
            let fair = try #require(created.body["id"] as? Int)
            let base = "/api/staff/job-fairs/\(fair)"
            #expect(try await client.json(.post, base + "/employers", token: tokens.officer, ["employer_id": employer.id]).status == .created)
            #expect(try await client.json(.post, base + "/employers", token: tokens.officer, ["employer_id": employer.id]).status == .conflict)
            let notTaking = try await client.json(.post, base + "/vacancies", token: tokens.officer, ["vacancy_id": otherVacancy])
            #expect(notTaking.status == .unprocessableContent && notTaking.body["field"] as? String == "vacancy_id")
            #expect(try await client.json(.post, base + "/vacancies", token: tokens.officer, ["vacancy_id": vacancy]).status == .created)

            // check-in: the letter code as typed (lower case, a dash), the CCCD, a walk-in
            let typed = code.prefix(5).lowercased() + "-" + code.suffix(5).lowercased()
            let byLetter = try await client.json(.post, base + "/check-ins", token: tokens.officer, ["letter_code": typed])
            #expect(byLetter.status == .created && byLetter.body["means"] as? String == "letter", "\(byLetter.body)")
            #expect(byLetter.body["worker_id"] as? Int == referred && byLetter.body["referral_id"] as? Int == referral)
            let byCCCD = try await client.json(.post, base + "/check-ins", token: tokens.officer, ["cccd": "093190654321"])
            #expect(byCCCD.status == .created && byCCCD.body["worker_id"] as? Int == registered)
            #expect(try await rowCount("audit_log WHERE action = 'view' AND entity = 'worker' AND entity_id = '\(registered)'", url: url) == 1)
            var walkIn = Sample.worker(cccd: "093190111111")
            walkIn["full_name"] = "Lê Thị Cúc"
            let byWalkIn = try await client.json(.post, base + "/check-ins", token: tokens.officer, ["walk_in": walkIn])
            #expect(byWalkIn.status == .created && byWalkIn.body["means"] as? String == "walk_in", "\(byWalkIn.body)")

            // refused, nothing written: again, unknown, expired-looking, a bad walk-in, a viewer
            let workers = try await rowCount("workers", url: url)
            let refusals: [([String: Any], HTTPResponse.Status, String)] = [
                (["cccd": "093190123456"], .conflict, "cccd"),
                (["letter_code": code], .conflict, "letter_code"),
                (["cccd": "093190999999"], .unprocessableContent, "cccd"),
                (["cccd": "12345"], .unprocessableContent, "cccd"),
                (["letter_code": "ABCDE-FGHJK"], .unprocessableContent, "letter_code"),
                (["letter_code": "not a code"], .unprocessableContent, "letter_code"),
                ([:], .unprocessableContent, "cccd"),
                (["walk_in": Sample.worker(cccd: "093190222222").merging(["full_name": " "]) { $1 }], .unprocessableContent, "full_name"),
            ]
            for (body, status, field) in refusals {
                let answer = try await client.json(.post, base + "/check-ins", token: tokens.officer, body)
                #expect(answer.status == status && answer.body["field"] as? String == field, "\(body): \(answer.status) \(answer.body)")
            }
            #expect(try await client.json(.post, base + "/check-ins", token: tokens.viewer, ["cccd": "093190654321"]).status == .forbidden)
            #expect(try await rowCount("workers", url: url) == workers)
            #expect(try await rowCount("job_fair_attendances", url: url) == 3)

            // interviews: the letter's worker for the fair's vacancy, offered, hired
            let detail = try await client.json(.get, base, token: tokens.viewer)
            let attendances = try #require(detail.body["attendances"] as? [[String: Any]])
            let attendance = try #require(attendances.first { $0["worker_id"] as? Int == referred }?["id"] as? Int)
            let elsewhere = try await client.json(
                .post,
                base + "/interviews",
                token: tokens.officer,
                ["attendance_id": attendance, "vacancy_id": otherVacancy]
            )
            #expect(elsewhere.status == .unprocessableContent && elsewhere.body["field"] as? String == "vacancy_id")
            let interviewed = try await client.json(
                .post,
                base + "/interviews",
                token: tokens.officer,
                ["attendance_id": attendance, "vacancy_id": vacancy]
            )
            #expect(interviewed.status == .created && interviewed.body["stage"] as? String == "interviewed", "\(interviewed.body)")
            let interview = try #require(interviewed.body["id"] as? Int)
            let hireBody: [String: Any] = ["start_date": today, "contract_type": "indefinite", "wage_vnd": 6_000_000]
            #expect(try await client.json(.post, base + "/interviews/\(interview)/hire", token: tokens.officer, hireBody).status == .conflict)
            #expect(
                try await client.json(.post, base + "/interviews/\(interview)/offer", token: tokens.officer).body["stage"] as? String == "offered"
            )
            var badHire = hireBody
            badHire["start_date"] = "2025-01-01"
            let early = try await client.json(.post, base + "/interviews/\(interview)/hire", token: tokens.officer, badHire)
            #expect(early.status == .unprocessableContent && early.body["field"] as? String == "start_date")
            #expect(try await rowCount("placements", url: url) == 0)
            let hired = try await client.json(.post, base + "/interviews/\(interview)/hire", token: tokens.officer, hireBody)
            #expect(hired.status == .ok && hired.body["stage"] as? String == "hired", "\(hired.body)")
            let placement = try #require(hired.body["placement_id"] as? Int)
            #expect(
                try await rowCount(
                    "placements p JOIN workers w ON w.id = p.worker_id WHERE p.id = \(placement) AND p.channel = 'job_fair' AND p.job_fair_id = \(fair) AND p.employer_id = \(employer.id) AND w.job_seeking_status = 'employed'",
                    url: url
                ) == 1
            )
            #expect(try await rowCount("vacancies WHERE id = \(vacancy) AND slots_filled = 1", url: url) == 1)
            #expect(try await rowCount("audit_log WHERE entity = 'placement' AND entity_id = '\(placement)' AND action = 'create'", url: url) == 1)

            // verify: the report on this small known set
            let report = try await client.json(.get, base + "/report", token: tokens.viewer)
            #expect(report.status == .ok, "\(report.body)")
            #expect(report.body["employers"] as? Int == 1 && report.body["vacancies"] as? Int == 1 && report.body["slots"] as? Int == 2)
            #expect(report.body["attendees"] as? Int == 3 && report.body["interviews"] as? Int == 1 && report.body["offers"] as? Int == 1)
            #expect(report.body["hires"] as? Int == 1 && report.body["counted_hires"] as? Int == 1, "\(report.body)")
            let bySex = try #require(report.body["by_sex"] as? [[String: Any]])
            #expect(bySex.map { $0["key"] as? String } == ["female"] && bySex.first?["count"] as? Int == 3)
            let byStatus = try #require(report.body["by_household_status"] as? [[String: Any]])
            #expect(byStatus.map { $0["key"] as? String } == ["none"])

            // a reversed hire no longer counts and gives its slot back
            let reversed = try await client.json(.post, "/api/staff/placements/\(placement)/reverse", token: tokens.officer, ["reason": "Ghi nhầm"])
            #expect(reversed.status == .ok || reversed.status == .created, "\(reversed.body)")
            let after = try await client.json(.get, base + "/report", token: tokens.viewer)
            #expect(after.body["hires"] as? Int == 0 && after.body["counted_hires"] as? Int == 0)
            #expect(try await rowCount("vacancies WHERE id = \(vacancy) AND slots_filled = 0", url: url) == 1)
            let session = try await client.json(.get, base, token: tokens.viewer)
            let stages = (session.body["interviews"] as? [[String: Any]])?.compactMap { $0["stage"] as? String }
            #expect(stages == ["hire_reversed"], "the session shows the hire as reversed: \(session.body)")

            // announcing: one text to the consenting worker of the ward who seeks the vacancy's occupation, once
            var listener = Sample.worker(cccd: "093190333333")
            listener["full_name"] = "Võ Thị Diễm"
            listener["phone"] = "0912000111"
            listener["consents"] = ["referral", "messages"]
            let listening = try await client.created("/api/staff/workers", token: tokens.officer, listener)
            var elsewhereWorker = Sample.worker(cccd: "093190444444", occupations: ["9329"])
            elsewhereWorker["phone"] = "0912000222"
            elsewhereWorker["consents"] = ["messages"]
            _ = try await client.created("/api/staff/workers", token: tokens.officer, elsewhereWorker)
            #expect(try await client.json(.post, base + "/announce", token: tokens.viewer).status == .forbidden)
            let announced = try await client.json(.post, base + "/announce", token: tokens.officer)
            #expect(announced.status == .ok && announced.body["queued"] as? Int == 1, "\(announced.body)")
            #expect(try await client.json(.post, base + "/announce", token: tokens.officer).body["queued"] as? Int == 0)
            #expect(
                try await rowCount("worker_messages WHERE kind = 'job_fair' AND source = 'job_fair:\(fair)' AND worker_id = \(listening)", url: url)
                    == 1
            )
            #expect(try await rowCount("worker_messages WHERE kind = 'job_fair'", url: url) == 1)

            // a cancelled session takes no one more
            #expect(try await client.json(.post, base + "/cancel", token: tokens.officer).body["state"] as? String == "cancelled")
            let late = try await client.json(.post, base + "/check-ins", token: tokens.officer, ["cccd": "093190111111"])
            #expect(late.status == .conflict, "\(late.body)")
            #expect(try await rowCount("job_fair_attendances", url: url) == 3)
        }
    }

    @Test("the schema refuses what the service refuses: another employer's vacancy, a second check-in, a fair id off the job_fair channel")
    func schemaGuards() async throws {
        try await withTestApp { client, tokens, url in
            // setup
            let employer = try await TestEmployer.make(client, tokens)
            let other = try await TestEmployer.make(client, tokens, taxCode: "0301234562")
            let vacancy = try await Self.vacancy(client, key: other.key)
            let worker = try await insertWorker("Nguyễn Văn An", url: url)
            try await execute(
                """
                INSERT INTO job_fairs (title, held_on, place, ward_code, kind) VALUES ('Phiên thử', DATE '2026-01-10', 'Trung tâm', '31321', 'fixed');
                INSERT INTO job_fair_employers (job_fair_id, employer_id) SELECT id, \(employer.id) FROM job_fairs;
                INSERT INTO job_fair_attendances (job_fair_id, worker_id, means) SELECT id, \(worker), 'cccd' FROM job_fairs
                """,
                url: url
            )
            // act and verify: each is refused by the database itself
            let refused = [
                "INSERT INTO job_fair_vacancies (job_fair_id, vacancy_id, employer_id) SELECT id, \(vacancy), \(employer.id) FROM job_fairs",
                "INSERT INTO job_fair_vacancies (job_fair_id, vacancy_id, employer_id) SELECT id, \(vacancy), \(other.id) FROM job_fairs",
                "INSERT INTO job_fair_attendances (job_fair_id, worker_id, means) SELECT id, \(worker), 'walk_in' FROM job_fairs",
                "INSERT INTO job_fair_attendances (job_fair_id, worker_id, means) SELECT id, \(worker), 'letter' FROM job_fairs",
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence, job_fair_id, employer_id)
                SELECT \(worker), 'independent', DATE '2026-01-10', 'x', id, \(employer.id) FROM job_fairs
                """,
            ]
            // the same placement on the job_fair channel is accepted: the channel is what is refused below
            try await execute(
                """
                INSERT INTO placements (worker_id, channel, start_date, evidence, job_fair_id, employer_id)
                SELECT \(worker), 'job_fair', DATE '2026-01-10', 'x', id, \(employer.id) FROM job_fairs
                """,
                url: url
            )
            for sql in refused {
                await #expect(throws: (any Error).self, "\(sql)") { try await execute(sql, url: url) }
            }
            try await execute("UPDATE job_fairs SET cancelled_at = now()", url: url)
            await #expect(throws: (any Error).self) {
                try await execute("INSERT INTO job_fair_employers (job_fair_id, employer_id) SELECT id, \(other.id) FROM job_fairs", url: url)
            }
            #expect(try await rowCount("job_fair_vacancies", url: url) == 0)
            #expect(try await rowCount("job_fair_attendances", url: url) == 1)
            #expect(try await rowCount("job_fair_employers", url: url) == 1)
        }
    }

    /// The letter code of referral `id`.
    static func letterCode(_ id: Int, url: String) async throws -> String? {
        try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { client in
            try await client.query("SELECT letter_code FROM referrals WHERE id = \(id)", logger: TestCluster.logger).first(String.self)
        }
    }
}
