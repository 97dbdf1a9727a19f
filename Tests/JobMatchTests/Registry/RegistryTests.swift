import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Registry over HTTP")
struct RegistryTests {
    @Test("bad input gets a problem naming the field and writes nothing")
    func badInputWritesNothing() async throws {
        try await withTestApp { client, tokens, url in
            let household = try await client.json(.post, "/api/staff/households", token: tokens.officer, Sample.household()).body["id"] as! Int
            let cases: [([String: Any], String, HTTPResponse.Status)] = [
                (Sample.worker(cccd: "093091123456"), "cccd", .unprocessableContent),          // year digits disagree
                (Sample.worker(cccd: "093090123456"), "cccd", .unprocessableContent),          // sex digit disagrees
                (Sample.worker(birth: "1990-02-30"), "birth_date", .unprocessableContent),
                (Sample.worker(birth: "2020-01-01"), "birth_date", .unprocessableContent),     // under working age
                (Sample.worker(household: 999_999), "household_id", .unprocessableContent),
                (Sample.worker(occupations: ["9999"]), "occupation_codes[0]", .unprocessableContent),
                (Sample.worker().merging(["ward_code": "99999"]) { $1 }, "ward_code", .unprocessableContent),
                (Sample.worker().merging(["sex": "x"]) { $1 }, "sex", .unprocessableContent),
                (Sample.worker().merging(["phone": "12345"]) { $1 }, "phone", .unprocessableContent),
                (Sample.worker().merging(["full_name": " "]) { $1 }, "full_name", .unprocessableContent),
                (Sample.worker().merging(["birth_date": 19900501]) { $1 }, "birth_date", .badRequest),
                (Sample.worker().filter { $0.key != "sex" }, "sex", .badRequest),
            ]
            for (body, field, status) in cases {
                let response = try await client.json(.post, "/api/staff/workers", token: tokens.officer, body)
                #expect(response.status == status, "\(field)")
                #expect(response.body["field"] as? String == field)
                #expect((response.body["detail"] as? String)?.isEmpty == false)
            }
            let malformed = try await client.raw(.post, "/api/staff/workers", token: tokens.officer, body: "{\"full_name\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            #expect(try await rowCount("workers", url: url) == 0)
            #expect(try await rowCount("worker_occupations", url: url) == 0)
            _ = household
        }
    }

    @Test("the same CCCD twice is a 409 pointing at the existing record")
    func duplicateCCCD() async throws {
        try await withTestApp { client, tokens, url in
            let first = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker())
            #expect(first.status == .created)
            let second = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker())
            #expect(second.status == .conflict)
            #expect(second.body["existing_id"] as? Int == first.body["id"] as? Int)
            #expect(second.body["field"] as? String == "cccd")
            #expect(try await rowCount("workers", url: url) == 1)
        }
    }

    @Test("names are stored NFC and a viewer sees the CCCD masked")
    func nfcAndMasking() async throws {
        try await withTestApp { client, tokens, _ in
            var body = Sample.worker()
            body["full_name"] = "  Tra\u{302}\u{300}n  Thi\u{323} Bi\u{300}nh "
            let id = try await client.json(.post, "/api/staff/workers", token: tokens.officer, body).body["id"] as! Int
            let officerView = try await client.json(.get, "/api/staff/workers/\(id)", token: tokens.officer).body
            #expect(Array((officerView["full_name"] as! String).unicodeScalars) == Array("Trần Thị Bình".precomposedStringWithCanonicalMapping.unicodeScalars))
            #expect(officerView["cccd"] as? String == "093190123456")
            let viewerView = try await client.json(.get, "/api/staff/workers/\(id)", token: tokens.viewer).body
            #expect(viewerView["cccd"] as? String == "0931******56")
        }
    }

    @Test("household status periods may not overlap; legacy ward must map to the 2025 ward")
    func householdRules() async throws {
        try await withTestApp { client, tokens, url in
            var body = Sample.household()
            body["legacy_ward_code"] = "31318"  // Phường I, Vị Thanh: merged into 2025 ward 31321
            #expect(try await client.json(.post, "/api/staff/households", token: tokens.officer, body).status == .created)
            body["legacy_ward_code"] = "00001"  // a Hà Nội ward: not part of 31321
            let wrong = try await client.json(.post, "/api/staff/households", token: tokens.officer, body)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body["field"] as? String == "legacy_ward_code")
            #expect(try await rowCount("households", url: url) == 1)
            // The database itself refuses an overlapping period (exclusion constraint).
            await #expect(throws: (any Error).self) {
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query(
                        """
                        INSERT INTO household_statuses (household_id, status, valid_from, standard)
                        VALUES (1, 'near_poor', DATE '2026-06-01', 'decree_07_2021')
                        """)
                }
            }
        }
    }
}

@Suite("Administrative units across the July 2025 merger")
struct WardResolutionTests {
    @Test("a legacy ward alone gives its 2025 ward when unambiguous, and asks when it was split")
    func legacyOnly() async throws {
        try await withTestApp { client, tokens, url in
            var body = Sample.household()
            body.removeValue(forKey: "ward_code")
            body["legacy_ward_code"] = "31318"  // Phường I, Vị Thanh -> 31321 Phường Vị Thanh
            let created = try await client.json(.post, "/api/staff/households", token: tokens.officer, body)
            #expect(created.status == .created)
            let household = try await client.json(.get, "/api/staff/households/\(created.body["id"]!)", token: tokens.viewer).body
            #expect(household["ward_code"] as? String == "31321")
            #expect(household["legacy_ward_code"] as? String == "31318")

            body["legacy_ward_code"] = "31378"  // split between 31378 and 31654
            let split = try await client.json(.post, "/api/staff/households", token: tokens.officer, body)
            #expect(split.status == .unprocessableContent)
            #expect(split.body["field"] as? String == "ward_code")
            #expect((split.body["detail"] as? String)?.contains("31654") == true)

            body.removeValue(forKey: "legacy_ward_code")
            #expect(try await client.json(.post, "/api/staff/households", token: tokens.officer, body).body["field"] as? String == "ward_code")
            #expect(try await rowCount("households", url: url) == 1)
        }
    }
}
