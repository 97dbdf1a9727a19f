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
            let id = try await client.json(.post, "/api/staff/households", token: tokens.officer, Sample.household(status: "poor", from: "2022-01-01")).body["id"] as! Int
            let review = try await client.json(.post, "/api/staff/households/\(id)/statuses", token: tokens.officer,
                                               ["status": "near_poor", "valid_from": "2024-01-01", "decision_ref": "QĐ 123/QĐ-UBND"])
            #expect(review.status == .created)
            // verify
            func status(_ date: String) async throws -> String? {
                try await client.json(.get, "/api/staff/households/\(id)/status?as_of=\(date)", token: tokens.viewer).body["status"] as? String
            }
            #expect(try await status("2021-06-01") == "none")
            #expect(try await status("2023-12-31") == "poor")
            #expect(try await status("2024-01-01") == "near_poor")
            let history = try await client.json(.get, "/api/staff/households/\(id)", token: tokens.viewer).body["statuses"] as! [[String: Any]]
            #expect(history.map { $0["valid_to"] as? String } == ["2023-12-31", nil])
        }
    }

    @Test("an overlapping period is refused with the period it collides with, and nothing changes")
    func overlapRefused() async throws {
        try await withTestApp { client, tokens, url in
            let id = try await client.json(.post, "/api/staff/households", token: tokens.officer,
                                           Sample.household(status: "poor", from: "2022-01-01").merging(["status_valid_to": "2022-12-31"]) { $1 }).body["id"] as! Int
            let response = try await client.json(.post, "/api/staff/households/\(id)/statuses", token: tokens.officer,
                                                 ["status": "near_poor", "valid_from": "2022-06-01", "valid_to": "2023-05-31"])
            #expect(response.status == .conflict)
            #expect((response.body["detail"] as? String)?.contains("Hộ nghèo") == true)
            #expect(try await rowCount("household_statuses", url: url) == 1)
            let bad = try await client.json(.post, "/api/staff/households/\(id)/statuses", token: tokens.officer,
                                            ["status": "near_poor", "valid_from": "2023-06-01", "valid_to": "2023-05-31"])
            #expect(bad.body["field"] as? String == "valid_to")
            #expect(try await client.json(.post, "/api/staff/households/999/statuses", token: tokens.officer,
                                          ["status": "poor", "valid_from": "2023-01-01"]).status == .notFound)
        }
    }
}
