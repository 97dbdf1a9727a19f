import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Household status over time")
struct HouseholdStatusTests {
    @Test("a new review closes the open status; status as of a date follows the history")
    func historyAndAsOf() async throws {
        try await withTestApp { client, tokens, _ in
            // setup: poor from 2022, near-poor from the 2024 review
            let id = try await client.created("/api/staff/households", token: tokens.officer, Sample.household(status: "poor", from: "2022-01-01"))
            let review = try await client.json(
                .post,
                "/api/staff/households/\(id)/statuses",
                token: tokens.officer,
                ["status": "near_poor", "valid_from": "2024-01-01", "decision_ref": "QĐ 123/QĐ-UBND"]
            )
            #expect(review.status == .created)
            // verify
            func status(_ date: String) async throws -> String? {
                try await client.registry(
                    .get,
                    "/api/staff/households/\(id)/status?as_of=\(date)",
                    token: tokens.viewer,
                    as: RegistryAnswer.HouseholdStatus.self
                ).value().status
            }
            #expect(try await status("2021-06-01") == "none")
            #expect(try await status("2023-12-31") == "poor")
            #expect(try await status("2024-01-01") == "near_poor")
            let history = try await client.registry(.get, "/api/staff/households/\(id)", token: tokens.viewer, as: RegistryAnswer.Household.self)
                .value()
            #expect(history.statuses.map(\.validTo) == ["2023-12-31", nil])
            #expect(history.statuses.map(\.status) == ["poor", "near_poor"])
        }
    }

    @Test("an overlapping period is refused with the period it collides with, and nothing changes")
    func overlapRefused() async throws {
        try await withTestApp { client, tokens, url in
            let id = try await client.created(
                "/api/staff/households",
                token: tokens.officer,
                Sample.household(status: "poor", from: "2022-01-01").merging(["status_valid_to": "2022-12-31"]) { $1 }
            )
            let response = try await client.registry(
                .post,
                "/api/staff/households/\(id)/statuses",
                token: tokens.officer,
                ["status": "near_poor", "valid_from": "2022-06-01", "valid_to": "2023-05-31"],
                as: RegistryAnswer.Problem.self
            )
            #expect(response.status == .conflict)
            #expect(try response.value().field == "valid_from")
            #expect(try response.value().detail == "Khoảng thời gian trùng với tình trạng 'Hộ nghèo' từ 2022-01-01 đến 2022-12-31.")
            #expect(try await rowCount("household_statuses", url: url) == 1)
            let bad = try await client.registry(
                .post,
                "/api/staff/households/\(id)/statuses",
                token: tokens.officer,
                ["status": "near_poor", "valid_from": "2023-06-01", "valid_to": "2023-05-31"],
                as: RegistryAnswer.Problem.self
            )
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.value().field == "valid_to")
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/households/999/statuses",
                    token: tokens.officer,
                    ["status": "poor", "valid_from": "2023-01-01"]
                ).status == .notFound
            )
        }
    }
}
