import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Personal data rights")
struct PersonalDataTests {
    @Test("an access request returns everything held about the person, and is audited")
    func accessCopy() async throws {
        try await withTestApp { client, tokens, url in
            let id = try await client.json(.post, "/api/staff/workers", token: tokens.officer,
                                           Sample.worker().merging(["consents": ["referral"]]) { $1 }).body["id"] as! Int
            #expect(try await client.json(.get, "/api/staff/workers/\(id)/personal-data", token: tokens.viewer).status == .forbidden)
            let copy = try await client.json(.get, "/api/staff/workers/\(id)/personal-data", token: tokens.officer)
            #expect(copy.status == .ok)
            #expect((copy.body["worker"] as? [String: Any])?["cccd"] as? String == "093190123456")
            #expect((copy.body["occupations"] as? [String]) == ["7212"])
            #expect((copy.body["consents"] as? [[String: Any]])?.first?["purpose"] as? String == "referral")
            #expect(try await rowCount("audit_log WHERE action = 'export_personal_data'", url: url) == 1)
        }
    }

    @Test("anonymisation removes identity but keeps the placement counted; only an admin may do it, once")
    func anonymise() async throws {
        try await withTestApp { client, tokens, url in
            let worker = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker()).body["id"] as! Int
            let contract = try await client.json(.post, "/api/staff/overseas-contracts", token: tokens.officer, [
                "worker_id": worker, "country": "JP", "occupation_code": "8121", "term_months": 36, "planned_departure": "2026-03-01",
            ]).body["id"] as! Int
            _ = try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/departure", token: tokens.officer, ["departure_date": "2026-03-02"])
            let reason = ["reason": "Hết thời hạn lưu trữ theo quy định"]
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.officer, reason).status == .forbidden)
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.admin, [:]).body["field"] as? String == "reason")
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.admin, reason).status == .ok)
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.admin, reason).status == .conflict)
            let view = try await client.json(.get, "/api/staff/workers/\(worker)", token: tokens.admin).body
            #expect(view["cccd"] is NSNull || view["cccd"] == nil)
            #expect((view["full_name"] as? String)?.hasPrefix("Đã ẩn danh") == true)
            #expect(view["birth_date"] as? String == "1990-01-01")
            let progress = try await client.json(.get, "/api/staff/progress", token: tokens.viewer).body["targets"] as! [[String: Any]]
            #expect(progress.first { $0["key"] as? String == "jobs_2026_2030" }?["count"] as? Int == 1)
            #expect(try await rowCount("workers WHERE cccd IS NOT NULL OR phone IS NOT NULL", url: url) == 0)
        }
    }
}
