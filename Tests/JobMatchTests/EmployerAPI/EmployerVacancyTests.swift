import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Employer API: vacancies")
struct EmployerVacancyTests {
    /// A vacancy with every field the contract has.
    static func fullVacancy(reference: String = "HR-2026-001") -> [String: Any] {
        [
            "title": "Công nhân may", "description": "Ca ngày, có xe đưa đón.", "occupation_code": "7533", "skills": ["may công nghiệp"],
            "legacy_ward_code": "31318", "slots": 5, "wage_min": 6_500_000, "wage_max": 9_000_000, "working_hours": "8 giờ/ngày, 6 ngày/tuần",
            "min_age": 18, "max_age": 45, "closing_date": "2099-06-30", "reference": reference, "open_to_abroad_bound": false,
            "contact": ["name": "Chị Lan", "phone": "+84 912 000 111", "email": "tuyendung@example.vn"],
        ]
    }

    @Test("every field is stored and read back; a legacy ward gives its 2025 ward; skills come from the catalogue")
    func fields() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            #expect(try await client.json(.post, "/api/staff/skills", token: tokens.officer, ["name": "May công nghiệp"]).status == .created)
            let created = try await client.json(.post, "/api/v1/vacancies", token: employer.key, Self.fullVacancy())
            #expect(created.status == .created)
            let body = created.body
            #expect(body["ward_code"] as? String == "31321")
            #expect(body["legacy_ward_code"] as? String == "31318")
            #expect(body["skills"] as? [String] == ["May công nghiệp"])
            #expect((body["contact"] as? [String: Any])?["phone"] as? String == "0912000111")
            #expect(body["working_hours"] as? String == "8 giờ/ngày, 6 ngày/tuần")
            #expect(body["min_age"] as? Int == 18 && body["max_age"] as? Int == 45)
            #expect(body["open_to_abroad_bound"] as? Bool == false)
            let id = body["id"] as! Int
            let read = try await client.json(.get, "/api/v1/vacancies/\(id)", token: employer.key).body
            #expect(read["title"] as? String == "Công nhân may")
            #expect(read["updated_at"] is String)

            var unknownSkill = Self.fullVacancy(reference: "HR-2")
            unknownSkill["skills"] = ["Lặn biển"]
            #expect(try await client.json(.post, "/api/v1/vacancies", token: employer.key, unknownSkill).body["field"] as? String == "skills[0]")
            var badAge = Self.fullVacancy(reference: "HR-3")
            badAge["min_age"] = 50
            #expect(try await client.json(.post, "/api/v1/vacancies", token: employer.key, badAge).body["field"] as? String == "max_age")
            var noWard = Self.fullVacancy(reference: "HR-4")
            noWard.removeValue(forKey: "legacy_ward_code")
            #expect(try await client.json(.post, "/api/v1/vacancies", token: employer.key, noWard).body["field"] as? String == "ward_code")
            var badEmail = Self.fullVacancy(reference: "HR-5")
            badEmail["contact"] = ["email": "not an email"]
            #expect(try await client.json(.post, "/api/v1/vacancies", token: employer.key, badEmail).body["field"] as? String == "contact.email")
            #expect(try await client.json(.post, "/api/v1/vacancies", token: employer.key, Self.fullVacancy()).status == .conflict)
            #expect(try await rowCount("vacancies", url: url) == 1)
        }
    }

    @Test("PUT by reference creates once, then replaces: resending never makes a second vacancy")
    func upsert() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            var body = Sample.vacancy()
            let first = try await client.json(.put, "/api/v1/vacancies/by-reference/REQ-77", token: employer.key, body)
            #expect(first.status == .created)
            #expect(first.body["reference"] as? String == "REQ-77")
            let again = try await client.json(.put, "/api/v1/vacancies/by-reference/REQ-77", token: employer.key, body)
            #expect(again.status == .ok)
            #expect(again.body["id"] as? Int == first.body["id"] as? Int)
            #expect(again.body["updated_at"] as? String == first.body["updated_at"] as? String)  // nothing changed
            body["slots"] = 7
            let changed = try await client.json(.put, "/api/v1/vacancies/by-reference/REQ-77", token: employer.key, body)
            #expect(changed.body["slots"] as? Int == 7)
            #expect(try await rowCount("vacancies", url: url) == 1)
            body["reference"] = "OTHER"
            #expect(try await client.json(.put, "/api/v1/vacancies/by-reference/REQ-77", token: employer.key, body).body["field"] as? String == "reference")
            // Concurrent first sends of a new reference still make one vacancy.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<6 {
                    group.addTask { try await client.json(.put, "/api/v1/vacancies/by-reference/REQ-88", token: employer.key, Sample.vacancy()).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .ok }.count == 5)
            #expect(try await rowCount("vacancies WHERE reference = 'REQ-88'", url: url) == 1)
            #expect(try await rowCount("audit_log WHERE entity = 'vacancy' AND action = 'update'", url: url) == 1)
        }
    }

    @Test("update, close and reopen; the slots cannot drop below those filled; a passed closing date cannot reopen")
    func lifecycle() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            let id = try await client.json(.post, "/api/v1/vacancies", token: employer.key, Sample.vacancy(slots: 2)).body["id"] as! Int
            var body = Sample.vacancy(slots: 3)
            body["title"] = "Thợ hàn bậc 3"
            let updated = try await client.json(.put, "/api/v1/vacancies/\(id)", token: employer.key, body)
            #expect(updated.status == .ok)
            #expect(updated.body["title"] as? String == "Thợ hàn bậc 3")
            let closed = try await client.json(.post, "/api/v1/vacancies/\(id)/close", token: employer.key)
            #expect(closed.body["status"] as? String == "closed")
            #expect(try await client.json(.get, "/api/v1/vacancies?status=closed", token: employer.key).body["vacancies"].map { ($0 as! [Any]).count } == 1)
            #expect(try await client.json(.post, "/api/v1/vacancies/\(id)/reopen", token: employer.key).body["status"] as? String == "open")

            for cccd in ["093190123456", "093190654321"] {
                let (referral, _) = try await referWorker(client, tokens, vacancy: id, cccd: cccd)
                #expect(try await client.json(.post, "/api/v1/referrals/\(referral)/hire", token: employer.key, ["start_date": "2026-12-01"]).status == .ok)
            }
            let tooFew = try await client.json(.put, "/api/v1/vacancies/\(id)", token: employer.key, Sample.vacancy(slots: 1))
            #expect(tooFew.status == .unprocessableContent)
            #expect(tooFew.body["field"] as? String == "slots")
            #expect((tooFew.body["detail"] as? String)?.contains("2") == true)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("UPDATE vacancies SET closing_date = DATE '2020-01-01', status = 'closed' WHERE id = \(id)")
            }
            let reopen = try await client.json(.post, "/api/v1/vacancies/\(id)/reopen", token: employer.key)
            #expect(reopen.status == .conflict)
            #expect(reopen.body["field"] as? String == "closing_date")
        }
    }

    @Test("pages follow the time of last change, filtered by status and updated_since, with a cursor")
    func pages() async throws {
        try await withTestApp { client, tokens, _ in
            let employer = try await TestEmployer.make(client, tokens)
            var ids: [Int] = []
            for index in 0..<5 {
                var body = Sample.vacancy()
                body["reference"] = "R\(index)"
                ids.append(try await client.json(.post, "/api/v1/vacancies", token: employer.key, body).body["id"] as! Int)
            }
            var seen: [Int] = []
            var cursor: String? = nil
            repeat {
                let page = try await client.json(.get, "/api/v1/vacancies?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: employer.key).body
                seen += (page["vacancies"] as! [[String: Any]]).map { $0["id"] as! Int }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == ids)
            let future = try await client.json(.get, "/api/v1/vacancies?updated_since=2099-01-01T00:00:00Z", token: employer.key).body
            #expect((future["vacancies"] as? [Any])?.isEmpty == true)
            #expect(try await client.json(.get, "/api/v1/vacancies?limit=101", token: employer.key).status.code >= 400)
            #expect(try await client.json(.get, "/api/v1/vacancies?cursor=%%%", token: employer.key).status.code >= 400)
        }
    }
}
