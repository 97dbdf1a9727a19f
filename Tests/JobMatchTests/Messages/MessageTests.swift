import EmployerAPI
import Foundation
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

/// Issue 22, section 4: messages queued with the events they announce, only to workers who
/// consented and have a phone; the outbox in the staff API; no CCCD or household status in any text.
@Suite("Messages to workers")
struct MessageTests {
    @Test(
        "a referral and an interview queue a message for a consenting worker with a phone, none otherwise; withdrawn consent cancels; the API filters, masks for viewers, audits, retries only a failed one"
    )
    func queueing() async throws {
        try await withTestApp { client, tokens, url in
            // setup: a vacancy, and three workers referred to it: Lan consents to messages, Mai does
            // not, Hoa consents but has no phone
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await client.answer(
                Components.Schemas.Vacancy.self,
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                Sample.vacancy(slots: 5)
            ).get().id
            let (lanReferral, lan) = try await referWorker(
                client,
                tokens,
                vacancy: Int(vacancy),
                cccd: "093190000001",
                consents: ["referral", "messages"]
            )
            let (maiReferral, _) = try await referWorker(client, tokens, vacancy: Int(vacancy), cccd: "093190000002", consents: ["referral"])
            _ = try await referWorker(client, tokens, vacancy: Int(vacancy), cccd: "093190000003", consents: ["referral", "messages"], phone: nil)

            // verify: one message, Lan's, with the referral's vacancy and her phone
            #expect(try await rowCount("worker_messages", url: url) == 1)
            #expect(
                try await rowCount(
                    "worker_messages WHERE worker_id = \(lan) AND kind = 'referral' AND state = 'queued' AND phone = '0912345678' AND body LIKE '%Thợ hàn%'",
                    url: url
                ) == 1
            )
            // act: both interviews recorded; only Lan's is announced
            let today = LocalDate.today().description
            for referral in [lanReferral, maiReferral] {
                let answer = try await client.json(
                    .post,
                    "/api/staff/referrals/\(referral)/interview",
                    token: tokens.officer,
                    ["interviewed_on": today, "outcome": "passed"]
                )
                #expect(answer.status == .ok, "\(answer.body)")
            }
            #expect(try await rowCount("worker_messages WHERE kind = 'interview' AND worker_id = \(lan) AND body LIKE '%đã đạt%'", url: url) == 1)
            #expect(try await rowCount("worker_messages", url: url) == 2)

            // the staff API: filtered, phones for officers (audited), masked for viewers (not audited)
            let mine = try await client.staff(MessageRoutes.MessageList.self, .get, "/api/staff/messages?kind=referral", token: tokens.officer)
            #expect(mine.messages.map(\.kind) == ["referral"] && mine.messages.first?.phone == "0912345678")
            #expect(try await rowCount("audit_log WHERE action = 'view' AND entity = 'worker_messages'", url: url) == 1)
            let seen = try await client.staff(MessageRoutes.MessageList.self, .get, "/api/staff/messages?state=queued", token: tokens.viewer)
            #expect(seen.messages.count == 2 && seen.messages.allSatisfy { $0.phone == PersonalDataMask.phone("0912345678") })
            #expect(try await rowCount("audit_log WHERE action = 'view' AND entity = 'worker_messages'", url: url) == 1)
            for (query, field) in [("state=lost", "state"), ("kind=letter", "kind"), ("limit=0", "limit")] {
                let refused = try await client.json(.get, "/api/staff/messages?\(query)", token: tokens.officer)
                #expect(refused.status == .unprocessableContent && refused.body["field"] as? String == field, "\(query): \(refused.body)")
            }

            // retry: only a failed message, only by a writer
            let interview = try #require(seen.messages.first { $0.kind == "interview" }).id
            #expect(try await client.json(.post, "/api/staff/messages/\(interview)/retry", token: tokens.officer).status == .conflict)
            try await execute("UPDATE worker_messages SET state = 'failed', attempts = 8, last_error = 'HTTP 500' WHERE id = \(interview)", url: url)
            #expect(try await client.json(.post, "/api/staff/messages/\(interview)/retry", token: tokens.viewer).status == .forbidden)
            let retried = try await client.staff(OutboxMessage.self, .post, "/api/staff/messages/\(interview)/retry", token: tokens.officer)
            #expect(retried.state == "queued" && retried.attempts == 0)
            #expect(try await client.json(.post, "/api/staff/messages/987654/retry", token: tokens.officer).status == .notFound)

            // withdrawing the consent cancels what was not sent, and nothing new is queued
            let consents = try await client.json(.get, "/api/staff/workers/\(lan)/consents", token: tokens.officer)
            let list = try #require(consents.body["consents"] as? [[String: Any]], "\(consents.body)")
            let consent = try #require(list.first { $0["purpose"] as? String == "messages" }?["id"] as? Int)
            let withdrawn = try await client.json(
                .post,
                "/api/staff/workers/\(lan)/consents/\(consent)/withdraw",
                token: tokens.officer,
                ["means": "paper_form"]
            )
            #expect(withdrawn.status == .ok, "\(withdrawn.body)")
            #expect(try await rowCount("worker_messages WHERE state = 'cancelled'", url: url) == 2)
            try await execute("UPDATE worker_messages SET state = 'failed' WHERE id = \(interview)", url: url)
            #expect(try await client.json(.post, "/api/staff/messages/\(interview)/retry", token: tokens.officer).status == .conflict)
            let again = try await client.answer(
                Components.Schemas.Vacancy.self,
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                Sample.vacancy(occupation: "7212", slots: 1)
            ).get().id
            #expect(
                try await client.json(.post, "/api/staff/referrals", token: tokens.officer, ["vacancy_id": again, "worker_id": lan]).status
                    == .created
            )
            #expect(try await rowCount("worker_messages", url: url) == 2)
            // the consent is recorded like the others, and its purpose is checked by the database too
            let refused = try await client.json(
                .post,
                "/api/staff/workers/\(lan)/consents",
                token: tokens.officer,
                ["purpose": "sms", "means": "in_person"]
            )
            #expect(refused.status == .unprocessableContent && refused.body["field"] as? String == "purpose")
            await #expect(throws: (any Error).self) {
                try await execute(
                    "INSERT INTO worker_consents (worker_id, purpose, means, given_at) VALUES (\(lan), 'sms', 'in_person', now())",
                    url: url
                )
            }
        }
    }

    @Test("no message of any kind carries the worker's CCCD or household status; a fair and a follow-up are announced once each")
    func nothingPersonal() async throws {
        try await withTestApp { client, tokens, url in
            // setup: Lan, of a poor household, with a CCCD, consenting; Mai of the same household, not consenting
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household(status: "poor"))
            var body = Sample.worker(cccd: "093190000011", household: Int64(household))
            body["consents"] = ["referral", "messages"]
            body["phone"] = "0912000011"
            let lan = try await client.created("/api/staff/workers", token: tokens.officer, body)
            body = Sample.worker(cccd: "093190000012", household: Int64(household))
            body["phone"] = "0912000012"
            let mai = try await client.created("/api/staff/workers", token: tokens.officer, body)
            let employer = try await TestEmployer.make(client, tokens)
            let vacancy = try await client.answer(
                Components.Schemas.Vacancy.self,
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                [
                    "title": "Thợ hàn (ưu tiên hộ nghèo)", "occupation_code": "7212", "ward_code": Sample.ward, "slots": 2,
                    "closing_date": "2099-01-31",
                ]
            ).get().id
            let referral = try await client.created("/api/staff/referrals", token: tokens.officer, ["vacancy_id": vacancy, "worker_id": lan])
            let interviewed = try await client.json(
                .post,
                "/api/staff/referrals/\(referral)/interview",
                token: tokens.officer,
                ["interviewed_on": LocalDate.today().description, "outcome": "failed"]
            )
            #expect(interviewed.status == .ok)
            let start = LocalDate.today().adding(days: -1)
            let threeMonthsAgo = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { pg in
                try await pg.query("SELECT (\(start.description)::date - interval '3 months')::date::text", logger: TestCluster.logger).first(
                    String.self
                )!
            }
            _ = try await insertPlacement(worker: lan, channel: "independent", start: threeMonthsAgo, url: url)
            _ = try await insertPlacement(worker: mai, channel: "independent", start: threeMonthsAgo, url: url)

            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { pg in
                let notices = MessageNotices(client: pg)
                let fair = JobFairNotice(
                    fairKey: "17",
                    day: LocalDate.today().adding(days: 7),
                    place: "Nhà văn hóa phường Vị Thanh",
                    occupation: "Thợ hàn"
                )
                // act: a fair announced twice, the follow-ups twice
                #expect(try await notices.queueJobFairNotice(fair, workers: [Int64(lan), Int64(mai)], actor: nil, logger: TestCluster.logger) == 1)
                #expect(try await notices.queueJobFairNotice(fair, workers: [Int64(lan), Int64(mai)], actor: nil, logger: TestCluster.logger) == 0)
                #expect(try await notices.announceFollowUps(today: LocalDate.today(), logger: TestCluster.logger) == 1)
                #expect(try await notices.announceFollowUps(today: LocalDate.today(), logger: TestCluster.logger) == 0)
                // a fair in the past, without a place or without workers is refused at its field, nothing queued
                let refusals: [(JobFairNotice, [Int64], String)] = [
                    (
                        JobFairNotice(fairKey: "18", day: LocalDate.today().adding(days: -1), place: "Chợ", occupation: "Thợ may"), [Int64(lan)],
                        "date"
                    ),
                    (JobFairNotice(fairKey: "18", day: LocalDate.today(), place: "  ", occupation: "Thợ may"), [Int64(lan)], "place"),
                    (JobFairNotice(fairKey: "18", day: LocalDate.today(), place: "Chợ", occupation: "Thợ may"), [], "workers"),
                ]
                for (notice, workers, field) in refusals {
                    do {
                        _ = try await notices.queueJobFairNotice(notice, workers: workers, actor: nil, logger: TestCluster.logger)
                        Issue.record("\(field) accepted")
                    } catch let error as PostgresTransactionError {
                        // The refusal comes out of the transaction it was made in.
                        let refused = (error.closureError as? AppError)?.field ?? (error.closureError as? FieldError)?.field
                        #expect(refused == field, "\(error)")
                    }
                }
            }
            #expect(try await rowCount("worker_messages WHERE source LIKE 'job_fair:18%'", url: url) == 0)
            #expect(try await rowCount("audit_log WHERE action = 'queue_messages' AND entity = 'job_fair'", url: url) == 2)

            // verify: one of each kind, all Lan's, none with a CCCD or a household status, in either form
            let messages = try await client.staff(MessageRoutes.MessageList.self, .get, "/api/staff/messages", token: tokens.officer).messages
            #expect(Set(messages.map(\.kind)) == Set(MessageKind.allCases.map(\.rawValue)), "\(messages.map(\.kind))")
            #expect(messages.count == 4 && messages.allSatisfy { $0.workerId == Int64(lan) })
            for message in messages {
                for text in [message.body, AsciiText.fold(message.body)] {
                    let plain = AsciiText.fold(text).lowercased()
                    #expect(!text.contains("093190000011") && text.range(of: "[0-9]{9}", options: .regularExpression) == nil, "\(text)")
                    #expect(!plain.contains("ngheo") && !plain.contains("poor") && !plain.contains("ho can"), "\(text)")
                }
                #expect(message.body.count <= MessageText.limit, "\(message.body)")
            }

            // the worker's copy of her data lists them; anonymised, the outbox forgets her phone
            let copy = try await client.json(.get, "/api/staff/workers/\(lan)/personal-data", token: tokens.officer)
            #expect((copy.body["messages"] as? [[String: Any]])?.count == 4, "\(copy.body.keys)")
            try await execute("UPDATE referrals SET status = 'rejected' WHERE worker_id = \(lan)", url: url)
            let anonymised = try await client.json(
                .post,
                "/api/staff/workers/\(lan)/anonymise",
                token: tokens.admin,
                ["reason": "Người lao động yêu cầu xóa dữ liệu"]
            )
            #expect(anonymised.status.code < 300, "\(anonymised.body)")
            #expect(try await rowCount("worker_messages WHERE phone IS NOT NULL", url: url) == 0)
            #expect(try await rowCount("worker_messages WHERE state = 'cancelled'", url: url) == 4)
        }
    }
}
