import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Merging two records of one person")
struct MergeTests {
    /// A second record of the sample person: no CCCD, a phone, a consent and an enrolment.
    func duplicate(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> (kept: Int, duplicate: Int, enrolment: Int) {
        let kept = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
        var body = Sample.worker(occupations: ["7212", "7411"])
        body.removeValue(forKey: "cccd")
        body["full_name"] = "Tran Thi Binh"
        body["phone"] = "+84 912 345 678"
        body["consents"] = ["referral"]
        let duplicate = try await client.created("/api/staff/workers", token: tokens.officer, body)
        let course = try await client.created(
            "/api/staff/courses",
            token: tokens.officer,
            [
                "title": "Hàn điện cơ bản", "occupation_code": "7212", "level": "so_cap",
                "start_date": "2026-01-05", "end_date": "2026-04-05", "seats": 20,
            ]
        )
        let enrolment = try await client.created("/api/staff/enrolments", token: tokens.officer, ["course_id": course, "worker_id": duplicate])
        return (kept, duplicate, enrolment)
    }

    @Test("references move, empty fields are filled, nothing is deleted, the merge is audited and the duplicate disappears from lists")
    func merge() async throws {
        try await withTestApp { client, tokens, url async throws in
            let (kept, duplicate, enrolment) = try await self.duplicate(client, tokens)
            let pairs = try await client.registry(.get, "/api/staff/workers/duplicates", token: tokens.officer, as: RegistryAnswer.Pairs.self).value()
                .pairs
            #expect(pairs.contains { $0.firstId == kept && $0.secondId == duplicate })

            let reply = try await client.registry(
                .post,
                "/api/staff/workers/\(kept)/merge",
                token: tokens.officer,
                ["duplicate_id": duplicate, "reason": "Cùng một người, đăng ký hai lần"],
                as: RegistryAnswer.Merge.self
            )
            #expect(reply.status == .created)
            let merged = try reply.value()
            #expect(merged.keptId == kept && merged.mergedId == duplicate)
            #expect(merged.filled == ["phone"])
            #expect(merged.moved["enrolments"] == [enrolment])
            #expect(merged.copied["worker_occupations"] == ["7411"])

            let view = try await client.registry(.get, "/api/staff/workers/\(kept)", token: tokens.officer, as: RegistryAnswer.Worker.self).value()
            #expect(view.phone == "0912345678")
            #expect(view.occupationCodes == ["7212", "7411"])
            #expect(try await rowCount("worker_consents WHERE worker_id = \(kept) AND purpose = 'referral'", url: url) == 1)
            #expect(try await rowCount("enrolments WHERE worker_id = \(kept)", url: url) == 1)
            // The duplicate is still there, pointing at the kept record.
            let old = try await client.registry(.get, "/api/staff/workers/\(duplicate)", token: tokens.officer, as: RegistryAnswer.Worker.self)
                .value()
            #expect(old.mergedInto == kept)
            #expect(try await rowCount("workers", url: url) == 2)

            let found = try await client.registry(
                .get,
                "/api/staff/workers?q=tran%20thi%20binh",
                token: tokens.officer,
                as: RegistryAnswer.Search.self
            )
            #expect(try found.value().workers.map(\.id) == [kept])
            let after = try await client.registry(.get, "/api/staff/workers/duplicates", token: tokens.officer, as: RegistryAnswer.Pairs.self)
            #expect(try after.value().pairs.isEmpty)
            // Nothing new can be linked to the merged record; the answer points at the kept one.
            let refused = try await client.registry(
                .post,
                "/api/staff/workers/\(duplicate)/consents",
                token: tokens.officer,
                ["purpose": "data_processing", "means": "in_person"],
                as: RegistryAnswer.Problem.self
            )
            #expect(refused.status == .conflict)
            #expect(try refused.value().existingId == kept)

            let history = try await client.registry(
                .get,
                "/api/staff/audit?entity=worker&entity_id=\(kept)",
                token: tokens.admin,
                as: RegistryAnswer.Audit.self
            ).value().entries
            let audited = try #require(history.first { $0.action == "merge" })
            #expect(audited.after?["merged_id"] == "\(duplicate)" && audited.after?["filled"] == "phone")
            let merges = try await client.registry(
                .get,
                "/api/staff/workers/\(duplicate)/merges",
                token: tokens.viewer,
                as: RegistryAnswer.Merges.self
            )
            #expect(try merges.value().merges.map(\.id) == [merged.id])
        }
    }

    @Test("undo puts every row and field back, and the CCCD goes back to its record")
    func undo() async throws {
        try await withTestApp { client, tokens, url async throws in
            // This time the duplicate holds the CCCD, so the merge moves it to the kept record.
            var first = Sample.worker()
            first.removeValue(forKey: "cccd")
            let kept = try await client.created("/api/staff/workers", token: tokens.officer, first)
            var second = Sample.worker(occupations: ["7411"])
            second["phone"] = "0912345678"
            let duplicate = try await client.created("/api/staff/workers", token: tokens.officer, second)
            let reply = try await client.registry(
                .post,
                "/api/staff/workers/\(kept)/merge",
                token: tokens.officer,
                ["duplicate_id": duplicate],
                as: RegistryAnswer.Merge.self
            )
            #expect(reply.status == .created)
            let merge = try reply.value()
            #expect(Set(merge.filled) == ["cccd", "phone"])
            #expect(
                try await client.registry(.get, "/api/staff/workers/\(kept)", token: tokens.officer, as: RegistryAnswer.Worker.self).value().cccd
                    == "093190123456"
            )

            let undone = try await client.registry(
                .post,
                "/api/staff/worker-merges/\(merge.id)/undo",
                token: tokens.officer,
                as: RegistryAnswer.Merge.self
            )
            #expect(undone.status == .ok)
            #expect(try undone.value().undoneAt != nil)
            let keptView = try await client.registry(.get, "/api/staff/workers/\(kept)", token: tokens.officer, as: RegistryAnswer.Worker.self)
                .value()
            let duplicateView = try await client.registry(
                .get,
                "/api/staff/workers/\(duplicate)",
                token: tokens.officer,
                as: RegistryAnswer.Worker.self
            ).value()
            #expect(keptView.cccd == nil)
            #expect(keptView.phone == nil)
            #expect(keptView.occupationCodes == ["7212"])
            #expect(duplicateView.cccd == "093190123456")
            #expect(duplicateView.mergedInto == nil)
            #expect(try await rowCount("worker_occupations WHERE worker_id = \(duplicate)", url: url) == 1)
            // Undoing twice is refused.
            #expect(try await client.json(.post, "/api/staff/worker-merges/\(merge.id)/undo", token: tokens.officer).status == .conflict)
        }
    }

    @Test("two CCCDs, a record with itself, an unknown record, a viewer and a chain are refused and change nothing")
    func refused() async throws {
        try await withTestApp { client, tokens, url async throws in
            let a = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let b = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker(cccd: "093190000777"))
            var third = Sample.worker()
            third.removeValue(forKey: "cccd")
            let c = try await client.created("/api/staff/workers", token: tokens.officer, third)
            let d = try await client.created("/api/staff/workers", token: tokens.officer, third)

            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": b]).status == .conflict)
            let itself = try await client.registry(
                .post,
                "/api/staff/workers/\(a)/merge",
                token: tokens.officer,
                ["duplicate_id": a],
                as: RegistryAnswer.Problem.self
            )
            #expect(itself.status == .unprocessableContent)
            #expect(try itself.value().field == "duplicate_id")
            #expect(
                try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": 999_999]).status
                    == .unprocessableContent
            )
            #expect(try await client.json(.post, "/api/staff/workers/999999/merge", token: tokens.officer, ["duplicate_id": a]).status == .notFound)
            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.viewer, ["duplicate_id": c]).status == .forbidden)
            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate": c]).status == .badRequest)
            #expect(try await rowCount("worker_merges", url: url) == 0)
            #expect(try await rowCount("workers WHERE merged_into IS NOT NULL", url: url) == 0)

            // d into c, then c (which now has d) into a: refused; a into c is the way.
            #expect(try await client.json(.post, "/api/staff/workers/\(c)/merge", token: tokens.officer, ["duplicate_id": d]).status == .created)
            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": c]).status == .conflict)
            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": d]).status == .conflict)
            #expect(try await client.json(.post, "/api/staff/workers/\(c)/merge", token: tokens.officer, ["duplicate_id": a]).status == .created)
            #expect(try await rowCount("worker_merges", url: url) == 2)
        }
    }
}
