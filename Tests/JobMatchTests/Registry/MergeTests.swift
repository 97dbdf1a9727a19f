import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Merging two records of one person")
struct MergeTests {
    /// A second record of the sample person: no CCCD, a phone, a consent and an enrolment.
    func duplicate(_ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> (kept: Int, duplicate: Int, enrolment: Int) {
        let kept = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker()).body["id"] as! Int
        var body = Sample.worker(occupations: ["7212", "7411"])
        body.removeValue(forKey: "cccd")
        body["full_name"] = "Tran Thi Binh"
        body["phone"] = "+84 912 345 678"
        body["consents"] = ["referral"]
        let duplicate = try await client.json(.post, "/api/staff/workers", token: tokens.officer, body).body["id"] as! Int
        let course = try await client.json(.post, "/api/staff/courses", token: tokens.officer, [
            "title": "Hàn điện cơ bản", "occupation_code": "7212", "level": "so_cap",
            "start_date": "2026-01-05", "end_date": "2026-04-05", "seats": 20,
        ]).body["id"] as! Int
        let enrolment = try await client.json(.post, "/api/staff/enrolments", token: tokens.officer,
                                              ["course_id": course, "worker_id": duplicate]).body["id"] as! Int
        return (kept, duplicate, enrolment)
    }

    @Test("references move, empty fields are filled, nothing is deleted, the merge is audited and the duplicate disappears from lists")
    func merge() async throws {
        try await withTestApp { client, tokens, url async throws in
            let (kept, duplicate, enrolment) = try await self.duplicate(client, tokens)
            let pairs = try await client.json(.get, "/api/staff/workers/duplicates", token: tokens.officer).body["pairs"] as! [[String: Any]]
            #expect(pairs.contains { $0["first_id"] as? Int == kept && $0["second_id"] as? Int == duplicate })

            let merged = try await client.json(.post, "/api/staff/workers/\(kept)/merge", token: tokens.officer,
                                               ["duplicate_id": duplicate, "reason": "Cùng một người, đăng ký hai lần"])
            #expect(merged.status == .created)
            #expect(merged.body["filled"] as? [String] == ["phone"])
            #expect((merged.body["moved"] as? [String: [Int]])?["enrolments"] == [enrolment])
            #expect((merged.body["copied"] as? [String: [String]])?["worker_occupations"] == ["7411"])

            let view = try await client.json(.get, "/api/staff/workers/\(kept)", token: tokens.officer).body
            #expect(view["phone"] as? String == "0912345678")
            #expect(view["occupation_codes"] as? [String] == ["7212", "7411"])
            #expect(try await rowCount("worker_consents WHERE worker_id = \(kept) AND purpose = 'referral'", url: url) == 1)
            #expect(try await rowCount("enrolments WHERE worker_id = \(kept)", url: url) == 1)
            // The duplicate is still there, pointing at the kept record.
            let old = try await client.json(.get, "/api/staff/workers/\(duplicate)", token: tokens.officer).body
            #expect(old["merged_into"] as? Int == kept)
            #expect(try await rowCount("workers", url: url) == 2)

            let found = try await client.json(.get, "/api/staff/workers?q=tran%20thi%20binh", token: tokens.officer).body["workers"] as! [[String: Any]]
            #expect(found.map { $0["id"] as? Int } == [kept])
            let after = try await client.json(.get, "/api/staff/workers/duplicates", token: tokens.officer).body["pairs"] as! [[String: Any]]
            #expect(after.isEmpty)
            // Nothing new can be linked to the merged record; the answer points at the kept one.
            let refused = try await client.json(.post, "/api/staff/workers/\(duplicate)/consents", token: tokens.officer,
                                                 ["purpose": "data_processing", "means": "in_person"])
            #expect(refused.status == .conflict)
            #expect(refused.body["existing_id"] as? Int == kept)

            let history = try await client.json(.get, "/api/staff/audit?entity=worker&entity_id=\(kept)", token: tokens.admin).body["entries"] as! [[String: Any]]
            #expect(history.contains { $0["action"] as? String == "merge" })
            let merges = try await client.json(.get, "/api/staff/workers/\(duplicate)/merges", token: tokens.viewer).body["merges"] as! [[String: Any]]
            #expect(merges.count == 1)
        }
    }

    @Test("undo puts every row and field back, and the CCCD goes back to its record")
    func undo() async throws {
        try await withTestApp { client, tokens, url async throws in
            // This time the duplicate holds the CCCD, so the merge moves it to the kept record.
            var first = Sample.worker()
            first.removeValue(forKey: "cccd")
            let kept = try await client.json(.post, "/api/staff/workers", token: tokens.officer, first).body["id"] as! Int
            var second = Sample.worker(occupations: ["7411"])
            second["phone"] = "0912345678"
            let duplicate = try await client.json(.post, "/api/staff/workers", token: tokens.officer, second).body["id"] as! Int
            let merge = try await client.json(.post, "/api/staff/workers/\(kept)/merge", token: tokens.officer, ["duplicate_id": duplicate])
            #expect(merge.status == .created)
            #expect(Set(merge.body["filled"] as? [String] ?? []) == ["cccd", "phone"])
            #expect(try await client.json(.get, "/api/staff/workers/\(kept)", token: tokens.officer).body["cccd"] as? String == "093190123456")

            let undone = try await client.json(.post, "/api/staff/worker-merges/\(merge.body["id"] as! Int)/undo", token: tokens.officer)
            #expect(undone.status == .ok)
            #expect(undone.body["undone_at"] is String)
            let keptView = try await client.json(.get, "/api/staff/workers/\(kept)", token: tokens.officer).body
            let duplicateView = try await client.json(.get, "/api/staff/workers/\(duplicate)", token: tokens.officer).body
            #expect(keptView["cccd"] == nil || keptView["cccd"] is NSNull)
            #expect(keptView["phone"] == nil || keptView["phone"] is NSNull)
            #expect(keptView["occupation_codes"] as? [String] == ["7212"])
            #expect(duplicateView["cccd"] as? String == "093190123456")
            #expect(duplicateView["merged_into"] == nil || duplicateView["merged_into"] is NSNull)
            #expect(try await rowCount("worker_occupations WHERE worker_id = \(duplicate)", url: url) == 1)
            // Undoing twice is refused.
            #expect(try await client.json(.post, "/api/staff/worker-merges/\(merge.body["id"] as! Int)/undo", token: tokens.officer).status == .conflict)
        }
    }

    @Test("two CCCDs, a record with itself, an unknown record, a viewer and a chain are refused and change nothing")
    func refused() async throws {
        try await withTestApp { client, tokens, url async throws in
            let a = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker()).body["id"] as! Int
            let b = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker(cccd: "093190000777")).body["id"] as! Int
            var third = Sample.worker()
            third.removeValue(forKey: "cccd")
            let c = try await client.json(.post, "/api/staff/workers", token: tokens.officer, third).body["id"] as! Int
            let d = try await client.json(.post, "/api/staff/workers", token: tokens.officer, third).body["id"] as! Int

            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": b]).status == .conflict)
            let itself = try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": a])
            #expect(itself.status == .unprocessableContent)
            #expect(itself.body["field"] as? String == "duplicate_id")
            #expect(try await client.json(.post, "/api/staff/workers/\(a)/merge", token: tokens.officer, ["duplicate_id": 999_999]).status == .unprocessableContent)
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
