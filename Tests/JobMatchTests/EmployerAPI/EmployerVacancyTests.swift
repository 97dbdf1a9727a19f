import EmployerAPI
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
            let created = try await client.answer(
                Components.Schemas.Vacancy.self,
                .post,
                "/api/v1/vacancies",
                token: employer.key,
                Self.fullVacancy()
            )
            #expect(created.status == .created)
            let body = try created.get()
            #expect(body.wardCode == "31321")
            #expect(body.legacyWardCode == "31318")
            #expect(body.skills == ["May công nghiệp"])
            #expect(body.contact?.phone == "0912000111")
            #expect(body.workingHours == "8 giờ/ngày, 6 ngày/tuần")
            #expect(body.minAge == 18 && body.maxAge == 45)
            #expect(body.openToAbroadBound == false)
            let read = try await client.answer(Components.Schemas.Vacancy.self, .get, "/api/v1/vacancies/\(body.id)", token: employer.key).get()
            #expect(read.title == "Công nhân may")
            #expect(read.updatedAt == body.updatedAt)

            /// The problem a refused vacancy answers: its status and the field it names.
            func refusal(_ vacancy: [String: Any]) async throws -> (status: HTTPResponse.Status, field: String?) {
                let answer = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, vacancy)
                return (answer.status, answer.problem?.field)
            }
            var unknownSkill = Self.fullVacancy(reference: "HR-2")
            unknownSkill["skills"] = ["Lặn biển"]
            #expect(try await refusal(unknownSkill) == (.unprocessableContent, "skills[0]"))
            var badAge = Self.fullVacancy(reference: "HR-3")
            badAge["min_age"] = 50
            #expect(try await refusal(badAge) == (.unprocessableContent, "max_age"))
            var noWard = Self.fullVacancy(reference: "HR-4")
            noWard.removeValue(forKey: "legacy_ward_code")
            #expect(try await refusal(noWard) == (.unprocessableContent, "ward_code"))
            var badEmail = Self.fullVacancy(reference: "HR-5")
            badEmail["contact"] = ["email": "not an email"]
            #expect(try await refusal(badEmail) == (.unprocessableContent, "contact.email"))
            let duplicate = try await refusal(Self.fullVacancy())
            #expect(duplicate == (.conflict, "reference"))
            #expect(try await rowCount("vacancies", url: url) == 1)
        }
    }

    @Test("PUT by reference creates once, then replaces: resending never makes a second vacancy")
    func upsert() async throws {
        try await withTestApp { client, tokens, url async throws in
            let employer = try await TestEmployer.make(client, tokens)
            var body = Sample.vacancy()
            let first = try await client.answer(
                Components.Schemas.Vacancy.self,
                .put,
                "/api/v1/vacancies/by-reference/REQ-77",
                token: employer.key,
                body
            )
            #expect(first.status == .created)
            #expect(try first.get().reference == "REQ-77")
            let again = try await client.answer(
                Components.Schemas.Vacancy.self,
                .put,
                "/api/v1/vacancies/by-reference/REQ-77",
                token: employer.key,
                body
            )
            #expect(again.status == .ok)
            #expect(try again.get().id == first.get().id)
            #expect(try again.get().updatedAt == first.get().updatedAt)  // nothing changed
            body["slots"] = 7
            let changed = try await client.answer(
                Components.Schemas.Vacancy.self,
                .put,
                "/api/v1/vacancies/by-reference/REQ-77",
                token: employer.key,
                body
            )
            #expect(try changed.get().slots == 7)
            #expect(try await rowCount("vacancies", url: url) == 1)
            body["reference"] = "OTHER"
            let mismatch = try await client.answer(
                Components.Schemas.Vacancy.self,
                .put,
                "/api/v1/vacancies/by-reference/REQ-77",
                token: employer.key,
                body
            )
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.problem?.field == "reference")
            // Concurrent first sends of a new reference still make one vacancy.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await client.json(.put, "/api/v1/vacancies/by-reference/REQ-88", token: employer.key, Sample.vacancy()).status
                    }
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
            let id = Int(
                try await client.answer(
                    Components.Schemas.Vacancy.self,
                    .post,
                    "/api/v1/vacancies",
                    token: employer.key,
                    Sample.vacancy(slots: 2)
                ).get().id
            )
            var body = Sample.vacancy(slots: 3)
            body["title"] = "Thợ hàn bậc 3"
            let updated = try await client.answer(Components.Schemas.Vacancy.self, .put, "/api/v1/vacancies/\(id)", token: employer.key, body)
            #expect(updated.status == .ok)
            #expect(try updated.get().title == "Thợ hàn bậc 3")
            let closed = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies/\(id)/close", token: employer.key)
            #expect(try closed.get().status == .closed)
            let closedList = try await client.answer(
                Components.Schemas.VacancyPage.self,
                .get,
                "/api/v1/vacancies?status=closed",
                token: employer.key
            )
            #expect(try closedList.get().vacancies.count == 1)
            let reopened = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies/\(id)/reopen", token: employer.key)
            #expect(try reopened.get().status == .open)

            for cccd in ["093190123456", "093190654321"] {
                let (referral, _) = try await referWorker(client, tokens, vacancy: id, cccd: cccd)
                #expect(
                    try await client.json(.post, "/api/v1/referrals/\(referral)/hire", token: employer.key, ["start_date": "2026-12-01"]).status
                        == .ok
                )
            }
            let tooFew = try await client.answer(
                Components.Schemas.Vacancy.self,
                .put,
                "/api/v1/vacancies/\(id)",
                token: employer.key,
                Sample.vacancy(slots: 1)
            )
            #expect(tooFew.status == .unprocessableContent)
            #expect(tooFew.problem?.field == "slots")
            #expect(tooFew.problem?.detail?.contains("2") == true)
            try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await db.query("UPDATE vacancies SET closing_date = DATE '2020-01-01', status = 'closed' WHERE id = \(id)")
            }
            let reopen = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies/\(id)/reopen", token: employer.key)
            #expect(reopen.status == .conflict)
            #expect(reopen.problem?.field == "closing_date")
        }
    }

    @Test("pages follow the time of last change, filtered by status and updated_since, with a cursor")
    func pages() async throws {
        try await withTestApp { client, tokens, _ in
            let employer = try await TestEmployer.make(client, tokens)
            var ids: [Int64] = []
            for index in 0..<5 {
                var body = Sample.vacancy()
                body["reference"] = "R\(index)"
                ids.append(try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: employer.key, body).get().id)
            }
            var seen: [Int64] = []
            var cursor: String? = nil
            repeat {
                let page = try await client.answer(
                    Components.Schemas.VacancyPage.self,
                    .get,
                    "/api/v1/vacancies?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""),
                    token: employer.key
                ).get()
                seen += page.vacancies.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == ids)
            let future = try await client.answer(
                Components.Schemas.VacancyPage.self,
                .get,
                "/api/v1/vacancies?updated_since=2099-01-01T00:00:00Z",
                token: employer.key
            )
            #expect(try future.get().vacancies.isEmpty)
            let tooMany = try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies?limit=101", token: employer.key)
            #expect(tooMany.status == .unprocessableContent)
            #expect(tooMany.problem?.field == "limit")
            let badCursor = try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies?cursor=%%%", token: employer.key)
            #expect(badCursor.status == .unprocessableContent)
            #expect(badCursor.problem?.field == "cursor")
        }
    }
}
