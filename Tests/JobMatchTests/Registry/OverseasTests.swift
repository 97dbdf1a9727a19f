import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Work abroad")
struct OverseasTests {
    @Test("a contract needs an enterprise licensed on the contract date and a worker of 18 at departure")
    func licenceAndAge() async throws {
        try await withTestApp { client, tokens, url in
            let enterprise = try await client.json(.post, "/api/staff/overseas-enterprises", token: tokens.officer, [
                "name": "Công ty CP Cung ứng nhân lực Mekong", "licence_number": "123/LĐTBXH-GP",
                "licence_valid_from": "2020-01-01", "licence_valid_to": "2025-12-31",
            ])
            #expect(enterprise.status == .created)
            let duplicate = try await client.json(.post, "/api/staff/overseas-enterprises", token: tokens.officer, [
                "name": "Khác", "licence_number": "123/LĐTBXH-GP", "licence_valid_from": "2020-01-01",
            ])
            #expect(duplicate.status == .conflict)
            let adult = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker()).body["id"] as! Int
            let teen = try await client.json(.post, "/api/staff/workers", token: tokens.officer,
                                             Sample.worker(cccd: "093309000001", birth: "2009-06-01", sex: "female")).body["id"] as! Int
            var contract: [String: Any] = ["worker_id": adult, "country": "KR", "occupation_code": "8121", "term_months": 36,
                                           "planned_departure": "2026-12-01", "enterprise_id": enterprise.body["id"]!, "contract_date": "2026-10-01"]
            let expired = try await client.json(.post, "/api/staff/overseas-contracts", token: tokens.officer, contract)
            #expect(expired.status == .unprocessableContent)
            #expect(expired.body["field"] as? String == "enterprise_id")
            contract["contract_date"] = "2025-06-01"
            #expect(try await client.json(.post, "/api/staff/overseas-contracts", token: tokens.officer, contract).status == .created)
            contract["worker_id"] = teen
            contract["planned_departure"] = "2027-01-01"
            let tooYoung = try await client.json(.post, "/api/staff/overseas-contracts", token: tokens.officer, contract)
            #expect(tooYoung.body["field"] as? String == "planned_departure")
            #expect(try await rowCount("overseas_contracts", url: url) == 1)
        }
    }

    @Test("an early return is recorded after departure only, with its reason, and the placement still counts")
    func earlyReturn() async throws {
        try await withTestApp { client, tokens, url in
            let worker = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker()).body["id"] as! Int
            let contract = try await client.json(.post, "/api/staff/overseas-contracts", token: tokens.officer, [
                "worker_id": worker, "country": "JP", "occupation_code": "8121", "term_months": 36, "planned_departure": "2026-03-01",
            ]).body["id"] as! Int
            let early = ["return_date": "2026-09-01", "reason": "Sức khỏe không đảm bảo"]
            #expect(try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/early-return", token: tokens.officer, early).status == .conflict)
            _ = try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/departure", token: tokens.officer, ["departure_date": "2026-03-02"])
            let noReason = try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/early-return", token: tokens.officer,
                                                 ["return_date": "2026-09-01"])
            #expect(noReason.body["field"] as? String == "reason")
            let beforeDeparture = try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/early-return", token: tokens.officer,
                                                        ["return_date": "2026-01-01", "reason": "x"])
            #expect(beforeDeparture.body["field"] as? String == "return_date")
            #expect(try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/early-return", token: tokens.officer, early).status == .ok)
            #expect(try await rowCount("overseas_contracts WHERE early_return_reason IS NOT NULL", url: url) == 1)
            let progress = try await client.json(.get, "/api/staff/progress", token: tokens.viewer).body["targets"] as! [[String: Any]]
            #expect(progress.first { $0["key"] as? String == "jobs_2026_2030" }?["count"] as? Int == 1)
        }
    }
}
