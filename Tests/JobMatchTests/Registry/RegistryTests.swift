import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("Registry over HTTP")
struct RegistryTests {
    @Test("bad input gets a problem naming the field and writes nothing")
    func badInputWritesNothing() async throws {
        try await withTestApp { client, tokens, url in
            let household = try await client.created("/api/staff/households", token: tokens.officer, Sample.household())
            let cases: [([String: Any], String, HTTPResponse.Status)] = [
                (Sample.worker(cccd: "093091123456"), "cccd", .unprocessableContent),  // year digits disagree
                (Sample.worker(cccd: "093090123456"), "cccd", .unprocessableContent),  // sex digit disagrees
                (Sample.worker(birth: "1990-02-30"), "birth_date", .unprocessableContent),
                (Sample.worker(birth: "2020-01-01"), "birth_date", .unprocessableContent),  // under working age
                (Sample.worker(household: 999_999), "household_id", .unprocessableContent),
                (Sample.worker(occupations: ["9999"]), "occupation_codes[0]", .unprocessableContent),
                (Sample.worker().merging(["ward_code": "99999"]) { $1 }, "ward_code", .unprocessableContent),
                (Sample.worker().merging(["sex": "x"]) { $1 }, "sex", .unprocessableContent),
                (Sample.worker().merging(["phone": "12345"]) { $1 }, "phone", .unprocessableContent),
                (Sample.worker().merging(["full_name": " "]) { $1 }, "full_name", .unprocessableContent),
                (Sample.worker().merging(["birth_date": 19_900_501]) { $1 }, "birth_date", .badRequest),
                (Sample.worker().filter { $0.key != "sex" }, "sex", .badRequest),
            ]
            for (body, field, status) in cases {
                let response = try await client.registry(.post, "/api/staff/workers", token: tokens.officer, body, as: RegistryAnswer.Problem.self)
                #expect(response.status == status, "\(field)")
                let problem = try response.value()
                #expect(problem.field == field)
                #expect(problem.status == Int(status.code))
                #expect(problem.detail?.isEmpty == false)
            }
            let young = try await client.registry(
                .post,
                "/api/staff/workers",
                token: tokens.officer,
                Sample.worker(birth: "2020-01-01"),
                as: RegistryAnswer.Problem.self
            )
            #expect(
                try young.value().detail?.hasPrefix("Người lao động phải từ 15 đến 100 tuổi (tuổi theo ngày sinh: ") == true,
                "the working-age rule's own words"
            )
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
            let first = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let second = try await client.registry(
                .post,
                "/api/staff/workers",
                token: tokens.officer,
                Sample.worker(),
                as: RegistryAnswer.Problem.self
            )
            #expect(second.status == .conflict)
            #expect(try second.value().existingId == first)
            #expect(try second.value().field == "cccd")
            #expect(try await rowCount("workers", url: url) == 1)
        }
    }

    @Test("names are stored NFC and a viewer sees the CCCD masked")
    func nfcAndMasking() async throws {
        try await withTestApp { client, tokens, _ in
            var body = Sample.worker()
            body["full_name"] = "  Tra\u{302}\u{300}n  Thi\u{323} Bi\u{300}nh "
            let id = try await client.created("/api/staff/workers", token: tokens.officer, body)
            let officerView = try await client.registry(.get, "/api/staff/workers/\(id)", token: tokens.officer, as: RegistryAnswer.Worker.self)
                .value()
            #expect(Array(officerView.fullName.unicodeScalars) == Array("Trần Thị Bình".precomposedStringWithCanonicalMapping.unicodeScalars))
            #expect(officerView.cccd == "093190123456")
            let viewerView = try await client.registry(.get, "/api/staff/workers/\(id)", token: tokens.viewer, as: RegistryAnswer.Worker.self).value()
            #expect(viewerView.cccd == "0931******56")
        }
    }

    @Test("household status periods may not overlap; legacy ward must map to the 2025 ward")
    func householdRules() async throws {
        try await withTestApp { client, tokens, url in
            var body = Sample.household()
            body["legacy_ward_code"] = "31318"  // Phường I, Vị Thanh: merged into 2025 ward 31321
            #expect(try await client.json(.post, "/api/staff/households", token: tokens.officer, body).status == .created)
            body["legacy_ward_code"] = "00001"  // a Hà Nội ward: not part of 31321
            let wrong = try await client.registry(.post, "/api/staff/households", token: tokens.officer, body, as: RegistryAnswer.Problem.self)
            #expect(wrong.status == .unprocessableContent)
            #expect(try wrong.value().field == "legacy_ward_code")
            #expect(try await rowCount("households", url: url) == 1)
            // The database itself refuses an overlapping period (exclusion constraint: SQLSTATE 23P01).
            let refusal = await #expect(throws: PSQLError.self) {
                try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                    try await db.query(
                        """
                        INSERT INTO household_statuses (household_id, status, valid_from, standard)
                        VALUES (1, 'near_poor', DATE '2026-06-01', 'decree_07_2021')
                        """
                    )
                }
            }
            #expect(refusal?.serverInfo?[.sqlState] == "23P01", "an exclusion violation, not some other failure")
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
            let created = try await client.created("/api/staff/households", token: tokens.officer, body)
            let household = try await client.registry(.get, "/api/staff/households/\(created)", token: tokens.viewer, as: HouseholdWards.self).value()
            #expect(household.wardCode == "31321")
            #expect(household.legacyWardCode == "31318")

            body["legacy_ward_code"] = "31378"  // split between 31378 and 31654
            let split = try await client.registry(.post, "/api/staff/households", token: tokens.officer, body, as: RegistryAnswer.Problem.self)
            #expect(split.status == .unprocessableContent)
            #expect(try split.value().field == "ward_code")
            #expect(try split.value().detail?.contains("31654") == true)

            body.removeValue(forKey: "legacy_ward_code")
            #expect(
                try await client.registry(.post, "/api/staff/households", token: tokens.officer, body, as: RegistryAnswer.Problem.self).value().field
                    == "ward_code"
            )
            #expect(try await rowCount("households", url: url) == 1)
        }
    }
}

@Suite("Probable duplicates")
struct DuplicateTests {
    @Test("same unaccented name and birth date, or same phone and similar name, are listed; different CCCDs are not")
    func probablePairs() async throws {
        try await withTestApp { client, tokens, _ in
            func add(_ name: String, cccd: String?, birth: String = "1990-05-01", phone: String? = nil) async throws -> Int {
                var body = Sample.worker(birth: birth)
                body["full_name"] = name
                if let cccd { body["cccd"] = cccd } else { body.removeValue(forKey: "cccd") }
                if let phone { body["phone"] = phone }
                return try await client.created("/api/staff/workers", token: tokens.officer, body)
            }
            let a = try await add("Trần Thị Bình", cccd: "093190000001")
            let b = try await add("Tran Thi Binh", cccd: nil)
            _ = try await add("Trần Thị Bình", cccd: "093190000002")  // another CCCD: another person... but pairs with b
            let c = try await add("Lê Thị Hoa", cccd: nil, birth: "1985-01-01", phone: "0912000111")
            let d = try await add("Lê Thị Hòa", cccd: nil, birth: "1986-01-01", phone: "0912000111")
            let response = try await client.registry(.get, "/api/staff/workers/duplicates", token: tokens.viewer, as: RegistryAnswer.Pairs.self)
            #expect(response.status == .ok)
            let pairs = try response.value().pairs.map { [$0.firstId, $0.secondId] }
            #expect(pairs.contains([a, b]))
            #expect(pairs.contains([c, d]))
            #expect(!pairs.contains([a, a + 2]))  // both have (different) CCCDs

            // Staff who find a pair to be two people dismiss it; it is no longer listed.
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/workers/duplicates/dismiss",
                    token: tokens.viewer,
                    ["first_id": c, "second_id": d]
                ).status == .forbidden
            )
            #expect(
                try await client.registry(
                    .post,
                    "/api/staff/workers/duplicates/dismiss",
                    token: tokens.officer,
                    ["first_id": c, "second_id": c],
                    as: RegistryAnswer.Problem.self
                ).value().field == "second_id"
            )
            let dismissed = try await client.json(
                .post,
                "/api/staff/workers/duplicates/dismiss",
                token: tokens.officer,
                ["first_id": d, "second_id": c, "reason": "Hai chị em, khác ngày sinh"]
            )
            #expect(dismissed.status == .created)
            #expect(
                try await client.json(
                    .post,
                    "/api/staff/workers/duplicates/dismiss",
                    token: tokens.officer,
                    ["first_id": c, "second_id": d]
                ).status == .conflict
            )
            let after = try await client.registry(.get, "/api/staff/workers/duplicates", token: tokens.viewer, as: RegistryAnswer.Pairs.self).value()
            let remaining = after.pairs.map { [$0.firstId, $0.secondId] }
            #expect(remaining.contains([a, b]))
            #expect(!remaining.contains([c, d]))
        }
    }
}

@Suite("Labour-supply fields")
struct LabourSupplyFieldTests {
    @Test("education, qualification, unemployment and preferred areas are stored; bad codes name the field")
    func fields() async throws {
        try await withTestApp { client, tokens, url async throws in
            var body = Sample.worker()
            body["education_level"] = "upper_secondary"
            body["qualification"] = "so_cap"
            body["major"] = "Hàn"
            body["unemployed_since"] = "2026-06-01"
            body["preferred_ward_codes"] = ["31321", "31333"]
            body["preferred_legacy_district_codes"] = ["930"]
            #expect(try await client.json(.post, "/api/staff/workers", token: tokens.officer, body).status == .created)
            #expect(try await rowCount("worker_preferred_areas", url: url) == 3)
            #expect(try await rowCount("workers WHERE qualification = 'so_cap' AND unemployed_since = DATE '2026-06-01'", url: url) == 1)
            var bad = Sample.worker(cccd: "093190000009")
            bad["preferred_legacy_district_codes"] = ["999"]
            #expect(
                try await client.registry(.post, "/api/staff/workers", token: tokens.officer, bad, as: RegistryAnswer.Problem.self).value().field
                    == "preferred_legacy_district_codes[0]"
            )
            bad.removeValue(forKey: "preferred_legacy_district_codes")
            bad["qualification"] = "phd"
            #expect(
                try await client.registry(.post, "/api/staff/workers", token: tokens.officer, bad, as: RegistryAnswer.Problem.self).value().field
                    == "qualification"
            )
            #expect(try await rowCount("workers", url: url) == 1)
        }
    }
}

@Suite("Registry summary by ward and legacy district")
struct RegistrySummaryTests {
    @Test("workers are counted by 2025 ward or legacy district, with household status as of a date; an undecidable district is its own group")
    func summary() async throws {
        try await withTestApp { client, tokens, _ in
            let poor = try await client.created("/api/staff/households", token: tokens.officer, Sample.household(status: "poor", from: "2026-01-01"))
            _ = try await client.json(.post, "/api/staff/workers", token: tokens.officer, Sample.worker(household: Int64(poor)))
            var second = Sample.worker(cccd: "093190000777")
            second["job_seeking_status"] = "employed"
            _ = try await client.json(.post, "/api/staff/workers", token: tokens.officer, second)
            var elsewhere = Sample.worker(cccd: "093190000888")
            elsewhere["ward_code"] = "31120"  // took in wards of legacy districts 916 and 918
            _ = try await client.json(.post, "/api/staff/workers", token: tokens.officer, elsewhere)

            let byWard = try await client.registry(.get, "/api/staff/registry/summary?by=ward", token: tokens.viewer, as: RegistrySummary.self)
            #expect(byWard.status == .ok)
            #expect(try byWard.value().total == 3)
            let wards = try byWard.value().groups
            #expect(wards.map(\.code) == ["31120", "31321"])
            let viThanh = try #require(wards.last)
            #expect(viThanh.workers == 2)
            #expect(viThanh.seeking == 1)
            #expect(viThanh.byHouseholdStatus["poor"] == 1)
            #expect(viThanh.byHouseholdStatus["none"] == 1)

            let byDistrict = try await client.registry(
                .get,
                "/api/staff/registry/summary?by=legacy_district",
                token: tokens.viewer,
                as: RegistrySummary.self
            ).value()
            let districts = byDistrict.groups
            #expect(districts.map(\.code) == ["930", nil])
            #expect(districts.first?.name == "Thành phố Vị Thanh")
            #expect(districts.last?.workers == 1)

            // Before the household was recognised as poor, no one counted as poor.
            let earlier = try await client.registry(
                .get,
                "/api/staff/registry/summary?by=ward&as_of=2025-12-31",
                token: tokens.viewer,
                as: RegistrySummary.self
            ).value()
            #expect(earlier.total == 0)  // the records did not exist yet on that date
            let bad = try await client.registry(
                .get,
                "/api/staff/registry/summary?by=province",
                token: tokens.viewer,
                as: RegistryAnswer.Problem.self
            )
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.value().field == "by")
        }
    }
}

/// `GET /households/{id}`: the wards it is recorded in.
private struct HouseholdWards: Decodable {
    let wardCode: String
    let legacyWardCode: String?
}
