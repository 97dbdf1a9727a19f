import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import Testing

@testable import JobMatch

@Suite("Editing a worker, consents and skills")
struct WorkerEditTests {
    @Test("a patch changes only what it names, null empties a field, and the audit keeps before and after (masked)")
    func patch() async throws {
        try await withTestApp { client, tokens, url async throws in
            var body = Sample.worker()
            body["ethnicity"] = "Kinh"
            let id = try await client.created("/api/staff/workers", token: tokens.officer, body)
            let reply = try await client.registry(
                .patch,
                "/api/staff/workers/\(id)",
                token: tokens.officer,
                ["phone": "0912 345 678", "ethnicity": NSNull(), "occupation_codes": ["7411"], "max_commute_km": 15],
                as: RegistryAnswer.Worker.self
            )
            #expect(reply.status == .ok)
            let edited = try reply.value()
            #expect(edited.phone == "0912345678")
            #expect(edited.ethnicity == nil)
            #expect(edited.occupationCodes == ["7411"])
            #expect(edited.maxCommuteKm == 15)
            #expect(edited.fullName == "Trần Thị Bình")
            #expect(edited.cccd == "093190123456")

            let history = try await client.registry(
                .get,
                "/api/staff/audit?entity=worker&entity_id=\(id)",
                token: tokens.admin,
                as: RegistryAnswer.Audit.self
            ).value().entries
            let update = try #require(history.first { $0.action == "update" })
            let before = update.before ?? [:]
            let after = update.after ?? [:]
            #expect(before["ethnicity"] == "Kinh")
            #expect(after["ethnicity"] == "")
            #expect(after["phone"] == PersonalDataMask.phone("0912345678"))
            #expect(after["phone"] != "0912345678")
            #expect(after["full_name"] == nil)  // unchanged fields are not repeated
            #expect(try await rowCount("audit_log WHERE after::text LIKE '%0912345678%' OR before::text LIKE '%093190123456%'", url: url) == 0)
        }
    }

    @Test("the old CMND is kept beside the CCCD, masked for viewers, and a shared CMND lists a probable duplicate")
    func oldIdentityCard() async throws {
        try await withTestApp { client, tokens, url async throws in
            var body = Sample.worker()
            body["cmnd"] = "361234567"
            let id = try await client.created("/api/staff/workers", token: tokens.officer, body)
            #expect(
                try await client.registry(.get, "/api/staff/workers/\(id)", token: tokens.officer, as: RegistryAnswer.Worker.self).value().cmnd
                    == "361234567"
            )
            #expect(
                try await client.registry(.get, "/api/staff/workers/\(id)", token: tokens.viewer, as: RegistryAnswer.Worker.self).value().cmnd
                    == CitizenID.masked("361234567")
            )
            var other = Sample.worker()
            other.removeValue(forKey: "cccd")
            other["full_name"] = "Trần Bình"
            other["birth_date"] = "1991-01-01"
            other["cmnd"] = "361234567"
            let second = try await client.created("/api/staff/workers", token: tokens.officer, other)
            let pairs = try await client.registry(.get, "/api/staff/workers/duplicates", token: tokens.officer, as: RegistryAnswer.Pairs.self).value()
                .pairs
            #expect(pairs.contains { $0.firstId == id && $0.secondId == second && $0.reason == "Trùng số CMND cũ" })
            var wrong = Sample.worker(cccd: "361234568")
            wrong["full_name"] = "Lê Văn Cường"
            let refused = try await client.registry(.post, "/api/staff/workers", token: tokens.officer, wrong, as: RegistryAnswer.Problem.self)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.value().field == "cccd")
            #expect(try refused.value().detail?.contains("CMND") == true)
            let shortCMND = try await client.registry(
                .patch,
                "/api/staff/workers/\(id)",
                token: tokens.officer,
                ["cmnd": "12"],
                as: RegistryAnswer.Problem.self
            )
            #expect(shortCMND.status == .unprocessableContent)
            #expect(try shortCMND.value().field == "cmnd")
            #expect(try await rowCount("workers", url: url) == 2)
        }
    }

    @Test("a bad patch names the field and changes nothing")
    func refused() async throws {
        try await withTestApp { client, tokens, url async throws in
            let id = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let other = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker(cccd: "093190000777"))
            let cases: [([String: Any], HTTPResponse.Status, String)] = [
                (["birth_date": "1991-05-01"], .unprocessableContent, "cccd"),  // the CCCD says 1990
                (["sex": "male"], .unprocessableContent, "cccd"),  // the CCCD says female
                (["full_name": NSNull()], .unprocessableContent, "full_name"),
                (["full_name": "   "], .unprocessableContent, "full_name"),
                (["ward_code": "99999"], .unprocessableContent, "ward_code"),
                (["phone": "12345"], .unprocessableContent, "phone"),
                (["max_commute_km": "far"], .badRequest, "max_commute_km"),
                (["cccd": "093190000777"], .conflict, "cccd"),
                (["merged_into": 1], .unprocessableContent, "merged_into"),
                (["occupation_codes": ["9999"]], .unprocessableContent, "occupation_codes[0]"),
            ]
            for (patch, status, field) in cases {
                let response = try await client.answer(RegistryAnswer.Worker.self, .patch, "/api/staff/workers/\(id)", token: tokens.officer, patch)
                #expect(response.status == status, "\(patch)")
                #expect(response.problem?.field == field, "\(patch)")
            }
            #expect(try await client.raw(.patch, "/api/staff/workers/\(id)", token: tokens.officer, body: "[1,2]").status == .badRequest)
            #expect(try await client.json(.patch, "/api/staff/workers/\(id)", token: tokens.viewer, ["phone": "0912345678"]).status == .forbidden)
            #expect(try await client.json(.patch, "/api/staff/workers/999999", token: tokens.officer, ["phone": "0912345678"]).status == .notFound)
            #expect(try await rowCount("audit_log WHERE action = 'update'", url: url) == 0)
            #expect(
                try await rowCount("workers WHERE id = \(id) AND birth_date = DATE '1990-05-01' AND phone IS NULL AND sex = 'female'", url: url) == 1
            )
            _ = other
        }
    }

    @Test("consents are given, withdrawn (kept with when and how), never twice at once")
    func consents() async throws {
        try await withTestApp { client, tokens, url async throws in
            let id = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let given = try await client.answer(
                WorkerConsent.self,
                .post,
                "/api/staff/workers/\(id)/consents",
                token: tokens.officer,
                ["purpose": "referral", "means": "paper_form", "given_at": "2026-03-01"],
                snakeCase: true
            )
            #expect(given.status == .created)
            #expect(try given.get().givenAt == "2026-03-01T00:00:00+07:00")
            let consentID = try given.get().id
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/workers/\(id)/consents",
                    token: tokens.officer,
                    ["purpose": "referral", "means": "in_person"]
                ).status == .conflict
            )
            for (body, field) in [
                (["purpose": "marketing", "means": "in_person"], "purpose"),
                (["purpose": "data_processing", "means": "telepathy"], "means"),
                (["purpose": "data_processing", "means": "in_person", "given_at": "2099-01-01"], "given_at"),
                (["purpose": "data_processing", "means": "in_person", "given_at": "hôm qua"], "given_at"),
            ] {
                #expect(
                    try await client.answer(WorkerConsent.self, .post, "/api/staff/workers/\(id)/consents", token: tokens.officer, body).problem?
                        .field
                        == field
                )
            }
            #expect(
                try await client.answer(
                    WorkerConsent.self,
                    .post,
                    "/api/staff/workers/\(id)/consents/\(consentID)/withdraw",
                    token: tokens.officer,
                    ["means": "electronic", "withdrawn_at": "2026-02-01"]
                ).problem?.field == "withdrawn_at"
            )
            let withdrawn = try await client.answer(
                WorkerConsent.self,
                .post,
                "/api/staff/workers/\(id)/consents/\(consentID)/withdraw",
                token: tokens.officer,
                ["means": "electronic"],
                snakeCase: true
            )
            #expect(withdrawn.status == .ok)
            #expect(try withdrawn.get().id == consentID)
            #expect(try withdrawn.get().withdrawalMeans == "electronic")
            #expect(try withdrawn.get().withdrawnAt != nil)
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/workers/\(id)/consents/\(consentID)/withdraw",
                    token: tokens.officer,
                    ["means": "electronic"]
                ).status == .conflict
            )
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/workers/\(id + 1)/consents/\(consentID)/withdraw",
                    token: tokens.officer,
                    ["means": "electronic"]
                ).status == .notFound
            )
            // A new consent after the withdrawal is a new row; the history keeps both.
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/workers/\(id)/consents",
                    token: tokens.officer,
                    ["purpose": "referral", "means": "in_person"]
                ).status == .created
            )
            let list = try await client.staff(WorkerDetailRoutes.ConsentList.self, .get, "/api/staff/workers/\(id)/consents", token: tokens.viewer)
            #expect(list.consents.count == 2)
            #expect(try await rowCount("audit_log WHERE action IN ('give_consent', 'withdraw_consent')", url: url) == 3)
        }
    }

    @Test("the skills catalogue refuses a name already there (without diacritics); a worker's skills are replaced as a set")
    func skills() async throws {
        try await withTestApp { client, tokens, url async throws in
            let weldAnswer = try await client.answer(Skill.self, .post, "/api/staff/skills", token: tokens.officer, ["name": "Hàn  hồ quang "])
            #expect(weldAnswer.status == .created)
            let weld = try weldAnswer.get()
            #expect(weld.name == "Hàn hồ quang")
            let again = try await client.answer(Skill.self, .post, "/api/staff/skills", token: tokens.officer, ["name": "han ho quang"])
            #expect(again.status == .conflict)
            #expect(again.problem?.existingId == weld.id)
            #expect(try await client.answer(Skill.self, .post, "/api/staff/skills", token: tokens.officer, ["name": ""]).problem?.field == "name")
            let drive = try await client.staff(Skill.self, .post, "/api/staff/skills", token: tokens.officer, ["name": "Lái xe nâng"]).id
            let found = try await client.staff(SkillRoutes.SkillList.self, .get, "/api/staff/skills?q=lai%20xe", token: tokens.viewer).skills
            #expect(found.map(\.id) == [drive])

            let id = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let set = try await client.answer(
                WorkerDetailRoutes.SkillList.self,
                .put,
                "/api/staff/workers/\(id)/skills",
                token: tokens.officer,
                ["skill_ids": [drive, weld.id]]
            )
            #expect(set.status == .ok)
            #expect(try set.get().skills.map(\.name) == ["Hàn hồ quang", "Lái xe nâng"])
            let bad = try await client.answer(
                WorkerDetailRoutes.SkillList.self,
                .put,
                "/api/staff/workers/\(id)/skills",
                token: tokens.officer,
                ["skill_ids": [drive, 424242]]
            )
            #expect(bad.problem?.field == "skill_ids[1]")
            #expect(try await rowCount("worker_skills", url: url) == 2)
            #expect(try await client.json(.put, "/api/staff/workers/\(id)/skills", token: tokens.officer, ["skill_ids": [drive]]).status == .ok)
            #expect(try await rowCount("worker_skills", url: url) == 1)
        }
    }
}
