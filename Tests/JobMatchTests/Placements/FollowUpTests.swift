import Foundation
import JobMatchCore
import Testing

@testable import JobMatch

/// Issue 22, section 3: follow-up calls 3, 6 and 12 months after a counted job, their outcomes,
/// the retention rates, and a worker who stopped going back to seeking work.
@Suite("Follow-up after placement")
struct FollowUpTests {
    @Test("calls fall due at 3, 6 and 12 months; outcomes are checked at their field, recorded once, audited; retention counts those reached")
    func followUps() async throws {
        try await withTestApp { client, tokens, url in
            // setup: An placed on 10/01/2025 (every milestone reached), Bình on a day whose first
            // milestone is still to come, Chi's job reversed
            let an = try await insertWorker("Nguyễn Văn An", url: url)
            let binh = try await insertWorker("Trần Thị Bình", sex: "female", url: url)
            let chi = try await insertWorker("Lê Văn Chi", url: url)
            try await execute("UPDATE workers SET phone = '0912345678', job_seeking_status = 'employed' WHERE id = \(an)", url: url)
            let anJob = try await insertPlacement(worker: an, start: "2025-01-10", recorded: "2025-01-11 09:00+07", url: url)
            let soon = LocalDate.today().adding(days: -30).description
            _ = try await insertPlacement(worker: binh, start: soon, recorded: "2026-01-01 09:00+07", url: url)
            let chiJob = try await insertPlacement(worker: chi, start: "2025-02-01", recorded: "2025-02-02 09:00+07", url: url)
            try await reversePlacement(chiJob, recorded: "2025-02-10 09:00+07", url: url)

            // verify: An's three calls are due (oldest first); the phone only for those who call
            let due = try await client.json(.get, "/api/staff/follow-ups/due", token: tokens.officer)
            let items = try #require(due.body["follow_ups"] as? [[String: Any]], "\(due.body)")
            #expect(items.map { $0["placement_id"] as? Int } == [anJob, anJob, anJob])
            #expect(items.map { $0["months"] as? Int } == [3, 6, 12])
            #expect(items.map { $0["due_on"] as? String } == ["2025-04-10", "2025-07-10", "2026-01-10"])
            #expect(items.first?["phone"] as? String == "0912345678")
            let seen = try await client.json(.get, "/api/staff/follow-ups/due", token: tokens.viewer)
            let masked = (seen.body["follow_ups"] as? [[String: Any]])?.first?["phone"] as? String
            #expect(masked == PersonalDataMask.phone("0912345678") && masked != "0912345678")
            #expect(try await rowCount("audit_log WHERE action = 'view' AND entity = 'follow_ups'", url: url) == 1)

            // refused at the field or as a conflict, nothing written
            let path = "/api/staff/placements/\(anJob)/follow-ups"
            let refusals: [([String: Any], String)] = [
                (["months": 4, "outcome": "still_working", "contacted_on": "2025-04-12"], "months"),
                (["months": 3, "outcome": "happy", "contacted_on": "2025-04-12"], "outcome"),
                (["months": 3, "outcome": "still_working", "contacted_on": "2024-12-31"], "contacted_on"),
                (["months": 3, "outcome": "still_working", "contacted_on": "2099-01-01"], "contacted_on"),
                (["months": 3, "outcome": "still_working", "contacted_on": "2025-04-12", "return_to_seeking": true], "return_to_seeking"),
            ]
            for (body, field) in refusals {
                let answer = try await client.json(.post, path, token: tokens.officer, body)
                #expect(answer.status == .unprocessableContent && answer.body["field"] as? String == field, "\(body): \(answer.body)")
            }
            let reversed = try await client.json(
                .post,
                "/api/staff/placements/\(chiJob)/follow-ups",
                token: tokens.officer,
                ["months": 3, "outcome": "stopped", "contacted_on": "2025-05-02"]
            )
            #expect(reversed.status == .conflict)
            #expect(
                try await client.json(.post, path, token: tokens.viewer, ["months": 3, "outcome": "stopped", "contacted_on": "2025-04-12"]).status
                    == .forbidden
            )
            #expect(try await rowCount("placement_follow_ups", url: url) == 0)

            // act: three calls recorded; the second finds An stopped and puts him back to seeking work
            #expect(
                try await client.json(.post, path, token: tokens.officer, ["months": 3, "outcome": "still_working", "contacted_on": "2025-04-12"])
                    .status
                    == .created
            )
            #expect(
                try await client.json(.post, path, token: tokens.officer, ["months": 3, "outcome": "stopped", "contacted_on": "2025-04-13"]).status
                    == .conflict,
                "a milestone is recorded once"
            )
            let stopped = try await client.json(
                .post,
                path,
                token: tokens.officer,
                ["months": 6, "outcome": "stopped", "contacted_on": "2025-07-11", "note": "Nghỉ vì xa nhà", "return_to_seeking": true]
            )
            #expect(stopped.status == .created && stopped.body["returned_to_seeking"] as? Bool == true)
            #expect(try await rowCount("workers WHERE id = \(an) AND job_seeking_status = 'seeking'", url: url) == 1)
            #expect(
                try await client.json(.post, path, token: tokens.officer, ["months": 12, "outcome": "unreachable", "contacted_on": "2026-01-12"])
                    .status
                    == .created
            )

            // verify: nothing due; 3 months: 1 of 1 reached in work; 6: 0 of 1; 12: no one reached
            let after = try await client.json(.get, "/api/staff/follow-ups/due", token: tokens.officer)
            #expect((after.body["follow_ups"] as? [[String: Any]])?.isEmpty == true)
            let retention = try await client.json(.get, "/api/staff/reports/retention", token: tokens.viewer)
            let overall = try #require(retention.body["overall"] as? [[String: Any]], "\(retention.body)")
            #expect(overall.map { $0["months"] as? Int } == [3, 6, 12])
            #expect(overall.map { $0["in_work"] as? Int } == [1, 0, 0])
            #expect(overall.map { $0["reached"] as? Int } == [1, 1, 0])
            #expect(overall[0]["percent"] as? Double == 100 && overall[1]["percent"] as? Double == 0 && overall[2]["percent"] == nil)
            let groups = try #require(retention.body["groups"] as? [[String: Any]])
            #expect(groups.contains { $0["dimension"] as? String == "channel" && $0["key"] as? String == "job_fair" })
            #expect(groups.contains { $0["dimension"] as? String == "training" && $0["label"] as? String == "Chưa qua đào tạo" })
            #expect(try await rowCount("audit_log WHERE action = 'follow_up' AND entity = 'placement' AND entity_id = '\(anJob)'", url: url) == 3)
        }
    }

    @Test("the page lists the calls due, records one through its form, and shows the retention")
    func page() async throws {
        try await withTestApp { client, tokens, url in
            let an = try await insertWorker("Nguyễn Văn An", url: url)
            let job = try await insertPlacement(worker: an, start: "2025-01-10", recorded: "2025-01-11 09:00+07", url: url)
            try await setWebPassword("officer", SignInTests.password, url: url)
            let browser = WebBrowser(client)
            try await browser.signIn("officer", SignInTests.password)
            let page = try await browser.get("/follow-ups")
            #expect(page.status == .ok && page.html.contains("Cuộc gọi đến hạn (3)") && page.html.contains("Nguyễn Văn An"))
            let token = try #require(page.csrf)
            let posted = try await browser.post(
                "/placements/\(job)/follow-ups",
                [("_csrf", token), ("months", "3"), ("outcome", "changed_job"), ("contacted_on", "12/04/2025"), ("note", "")]
            )
            #expect(posted.status == .seeOther || posted.status == .found, "\(posted.status)")
            let again = try await browser.get("/follow-ups?done=recorded")
            #expect(again.html.contains("Cuộc gọi đến hạn (2)") && again.html.contains("Đã ghi kết quả theo dõi."))
            #expect(again.html.contains("100,0%"))
            #expect(try await browser.get("/").html.contains("Còn việc làm sau 3, 6, 12 tháng"))
            _ = tokens
        }
    }
}
