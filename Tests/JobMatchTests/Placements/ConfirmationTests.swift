import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// Issue 20, section 5: a hire an employer records through the API counts once staff confirm it;
/// until then it is listed as awaiting confirmation and left out of every count.
@Suite("Employers' hires count once staff confirm them")
struct ConfirmationTests {
    @Test("an employer's hire waits, uncounted; confirmed, it counts; a staff hire counts at once; wrong confirmations change nothing")
    func confirmation() async throws {
        try await withTestApp { client, tokens, url in
            // setup: an employer's vacancy with two slots and two referred workers
            let employer = try await TestEmployer.make(client, tokens)
            try await execute(
                """
                INSERT INTO vacancies (employer_id, title, occupation_code, ward_code, slots, closing_date)
                VALUES (\(employer.id), 'Thợ hàn', '7212', '31321', 2, DATE '2099-01-31')
                """,
                url: url
            )
            let vacancy = try await rowCount("vacancies", url: url)
            let (byEmployer, _) = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190111222")
            let (byStaff, _) = try await referWorker(client, tokens, vacancy: vacancy, cccd: "093190333444")
            let today = LocalDate.today().description
            let before = try await client.progress(tokens)
            let counted = before.targets["jobs_2026_2030"]?.count ?? -1

            // act: the employer reports a hire
            let hired = try await client.json(.post, "/api/v1/referrals/\(byEmployer)/hire", token: employer.key, ["start_date": today])
            #expect(hired.status == .ok)
            let placement = try await rowCount("placements WHERE referral_id = \(byEmployer)", url: url) == 1
            #expect(placement)
            let id = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("SELECT id FROM placements WHERE referral_id = \(byEmployer)", logger: TestCluster.logger).first(Int64.self) ?? -1
            }
            // verify: listed as awaiting, in no count
            let waiting = try await client.progress(tokens)
            #expect(waiting.targets["jobs_2026_2030"]?.count == counted)
            #expect(waiting.body.awaitingConfirmation == 1)
            let listed = try await client.json(.get, "/api/staff/placements/awaiting-confirmation", token: tokens.viewer)
            #expect(listed.status == .ok)
            #expect((listed.body["placements"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(id)])

            // a staff hire counts at once
            #expect(try await client.json(.post, "/api/staff/referrals/\(byStaff)/hire", token: tokens.officer, ["start_date": today]).status == .ok)
            #expect(try await client.progress(tokens).targets["jobs_2026_2030"]?.count == counted + 1)

            // refused, changing nothing: a viewer, the employer itself, a note too long
            #expect(try await client.json(.post, "/api/staff/placements/\(id)/confirm", token: tokens.viewer, [:]).status == .forbidden)
            #expect(
                [.forbidden, .unauthorized].contains(
                    try await client.json(.post, "/api/staff/placements/\(id)/confirm", token: employer.key, [:]).status
                )
            )
            let long = try await client.json(
                .post,
                "/api/staff/placements/\(id)/confirm",
                token: tokens.officer,
                ["note": String(repeating: "x", count: 1001)]
            )
            #expect(long.status == .unprocessableContent && long.body["field"] as? String == "note")
            #expect(try await rowCount("placements WHERE confirmed_at IS NOT NULL", url: url) == 0)

            // act: staff confirm
            let confirmed = try await client.json(
                .post,
                "/api/staff/placements/\(id)/confirm",
                token: tokens.officer,
                ["note": "Đã gọi điện cho người lao động"]
            )
            #expect(confirmed.status == .ok)
            #expect(confirmed.body["awaiting_confirmation"] as? Bool == false && confirmed.body["confirmed_at"] is String)
            // verify: counted from now, nothing awaiting, the confirmation audited
            let after = try await client.progress(tokens)
            #expect(after.targets["jobs_2026_2030"]?.count == counted + 2)
            #expect(after.body.awaitingConfirmation == 0)
            #expect(try await rowCount("audit_log WHERE action = 'confirm' AND entity = 'placement' AND entity_id = '\(id)'", url: url) == 1)
            // as of yesterday, before either hire was recorded, nothing changed
            let yesterday = LocalDate.today().adding(days: -1).description
            #expect(try await client.progress(tokens, asOf: yesterday).targets["jobs_2026_2030"]?.count == counted)

            // a second confirmation, and one of a staff hire, are refused
            #expect(try await client.json(.post, "/api/staff/placements/\(id)/confirm", token: tokens.officer, [:]).status == .conflict)
            let staffPlacement = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("SELECT id FROM placements WHERE referral_id = \(byStaff)", logger: TestCluster.logger).first(Int64.self) ?? -1
            }
            #expect(try await client.json(.post, "/api/staff/placements/\(staffPlacement)/confirm", token: tokens.officer, [:]).status == .conflict)
            #expect(try await client.json(.post, "/api/staff/placements/999999/confirm", token: tokens.officer, [:]).status == .notFound)
        }
    }
}
