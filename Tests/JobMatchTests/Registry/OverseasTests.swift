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
            let enterprise = try await client.created(
                "/api/staff/overseas-enterprises",
                token: tokens.officer,
                [
                    "name": "Công ty CP Cung ứng nhân lực Mekong", "licence_number": "123/LĐTBXH-GP",
                    "licence_valid_from": "2020-01-01", "licence_valid_to": "2025-12-31",
                ]
            )
            let duplicate = try await client.registry(
                .post,
                "/api/staff/overseas-enterprises",
                token: tokens.officer,
                [
                    "name": "Khác", "licence_number": "123/LĐTBXH-GP", "licence_valid_from": "2020-01-01",
                ],
                as: RegistryAnswer.Problem.self
            )
            #expect(duplicate.status == .conflict)
            #expect(try duplicate.value().field == "licence_number" && duplicate.value().existingId == enterprise)
            let adult = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let teen = try await client.created(
                "/api/staff/workers",
                token: tokens.officer,
                Sample.worker(cccd: "093309000001", birth: "2009-06-01", sex: "female")
            )
            var contract: [String: Any] = [
                "worker_id": adult, "country": "KR", "occupation_code": "8121", "term_months": 36,
                "planned_departure": "2026-12-01", "enterprise_id": enterprise, "contract_date": "2026-10-01",
            ]
            let expired = try await client.registry(
                .post,
                "/api/staff/overseas-contracts",
                token: tokens.officer,
                contract,
                as: RegistryAnswer.Problem.self
            )
            #expect(expired.status == .unprocessableContent)
            #expect(try expired.value().field == "enterprise_id")
            contract["contract_date"] = "2025-06-01"
            #expect(try await client.json(.post, "/api/staff/overseas-contracts", token: tokens.officer, contract).status == .created)
            contract["worker_id"] = teen
            contract["planned_departure"] = "2027-01-01"
            let tooYoung = try await client.registry(
                .post,
                "/api/staff/overseas-contracts",
                token: tokens.officer,
                contract,
                as: RegistryAnswer.Problem.self
            )
            #expect(tooYoung.status == .unprocessableContent)
            #expect(try tooYoung.value().field == "planned_departure")
            #expect(try tooYoung.value().detail == "Người lao động đi làm việc ở nước ngoài phải đủ 18 tuổi vào ngày xuất cảnh.")
            #expect(try await rowCount("overseas_contracts", url: url) == 1)
        }
    }

    @Test("an early return is recorded after departure only, with its reason, and the placement still counts")
    func earlyReturn() async throws {
        try await withTestApp { client, tokens, url in
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let contract = try await client.created(
                "/api/staff/overseas-contracts",
                token: tokens.officer,
                [
                    "worker_id": worker, "country": "JP", "occupation_code": "8121", "term_months": 36, "planned_departure": "2026-03-01",
                ]
            )
            let early = ["return_date": "2026-09-01", "reason": "Sức khỏe không đảm bảo"]
            #expect(
                try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/early-return", token: tokens.officer, early).status
                    == .conflict
            )
            let departure = try await client.json(
                .post,
                "/api/staff/overseas-contracts/\(contract)/departure",
                token: tokens.officer,
                ["departure_date": "2026-03-02"]
            )
            #expect(departure.status == .ok)
            let noReason = try await client.registry(
                .post,
                "/api/staff/overseas-contracts/\(contract)/early-return",
                token: tokens.officer,
                ["return_date": "2026-09-01"],
                as: RegistryAnswer.Problem.self
            )
            #expect(noReason.status == .unprocessableContent)
            #expect(try noReason.value().field == "reason")
            let beforeDeparture = try await client.registry(
                .post,
                "/api/staff/overseas-contracts/\(contract)/early-return",
                token: tokens.officer,
                ["return_date": "2026-01-01", "reason": "x"],
                as: RegistryAnswer.Problem.self
            )
            #expect(beforeDeparture.status == .unprocessableContent)
            #expect(try beforeDeparture.value().field == "return_date")
            #expect(
                try await client.json(.post, "/api/staff/overseas-contracts/\(contract)/early-return", token: tokens.officer, early).status == .ok
            )
            #expect(try await rowCount("overseas_contracts WHERE early_return_reason IS NOT NULL", url: url) == 1)
            let progress = try await client.registry(.get, "/api/staff/progress", token: tokens.viewer, as: RegistryAnswer.Progress.self).value()
            #expect(progress.targets.first { $0.key == "jobs_2026_2030" }?.count == 1)
        }
    }
}
