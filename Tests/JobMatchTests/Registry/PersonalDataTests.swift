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
            let id = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker().merging(["consents": ["referral"]]) { $1 })
            #expect(try await client.json(.get, "/api/staff/workers/\(id)/personal-data", token: tokens.viewer).status == .forbidden)
            let reply = try await client.registry(
                .get,
                "/api/staff/workers/\(id)/personal-data",
                token: tokens.officer,
                as: RegistryAnswer.PersonalData.self
            )
            #expect(reply.status == .ok)
            let copy = try reply.value()
            #expect(copy.worker["cccd"] == "093190123456")
            #expect(copy.worker["full_name"] == "Trần Thị Bình")
            #expect(copy.worker["search_name"] == nil, "the derived search key is not personal data held")
            #expect(copy.occupations == ["7212"])
            #expect(copy.consents.map(\.purpose) == ["referral"])
            #expect(try await rowCount("audit_log WHERE action = 'export_personal_data'", url: url) == 1)
        }
    }

    @Test("anonymisation removes identity but keeps the placement counted; only an admin may do it, once")
    func anonymise() async throws {
        try await withTestApp { client, tokens, url in
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let contract = try await client.created(
                "/api/staff/overseas-contracts",
                token: tokens.officer,
                [
                    "worker_id": worker, "country": "JP", "occupation_code": "8121", "term_months": 36, "planned_departure": "2026-03-01",
                ]
            )
            let departure = try await client.json(
                .post,
                "/api/staff/overseas-contracts/\(contract)/departure",
                token: tokens.officer,
                ["departure_date": "2026-03-02"]
            )
            #expect(departure.status == .ok)
            let reason = ["reason": "Hết thời hạn lưu trữ theo quy định"]
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.officer, reason).status == .forbidden)
            let noReason = try await client.registry(
                .post,
                "/api/staff/workers/\(worker)/anonymise",
                token: tokens.admin,
                [:],
                as: RegistryAnswer.Problem.self
            )
            #expect(noReason.status == .unprocessableContent)
            #expect(try noReason.value().field == "reason")
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.admin, reason).status == .ok)
            #expect(try await client.json(.post, "/api/staff/workers/\(worker)/anonymise", token: tokens.admin, reason).status == .conflict)
            let view = try await client.registry(.get, "/api/staff/workers/\(worker)", token: tokens.admin, as: RegistryAnswer.Worker.self).value()
            #expect(view.cccd == nil && view.phone == nil)
            #expect(view.fullName == "Đã ẩn danh \(worker)")
            #expect(view.birthDate == "1990-01-01")
            #expect(view.anonymised)
            let progress = try await client.registry(.get, "/api/staff/progress", token: tokens.viewer, as: RegistryAnswer.Progress.self).value()
            #expect(progress.targets.first { $0.key == "jobs_2026_2030" }?.count == 1)
            #expect(try await rowCount("workers WHERE cccd IS NOT NULL OR phone IS NOT NULL", url: url) == 0)
        }
    }
}
