import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Targets: added by an admin, yearly or distinct, in a territory")
struct TargetTests {
    /// POSTs a target as `token`, answering the stored target or the problem.
    func add(_ client: some TestClientProtocol, _ token: String, _ body: [String: Any]) async throws -> TypedAnswer<PlanTarget> {
        try await client.answer(PlanTarget.self, .post, "/api/staff/targets", token: token, body, snakeCase: true)
    }

    @Test("an admin adds a year's and a ward's target (audited); bad input is refused at its field and adds nothing; others may not")
    func adding() async throws {
        try await withTestApp { client, tokens, url in
            let year: [String: Any] = ["indicator": "jobs", "period_start": "2026-01-01", "period_end": "2026-12-31", "value": 20000]
            #expect(try await add(client, tokens.officer, year).status == .forbidden)
            let added = try await add(client, tokens.admin, year)
            #expect(added.status == .created)
            let target = try added.get()
            #expect(target.key == "jobs_2026" && target.basis == .yearly && target.territory.isEmpty)
            #expect(target.title == "Lao động được tạo việc làm năm 2026")
            let again = try await add(client, tokens.admin, year)
            #expect(again.status == .conflict && again.problem?.field == "key")

            let before = try await rowCount("targets", url: url)
            let refusals: [(String, [String: Any])] = [
                ("indicator", year.merging(["indicator": "people"]) { $1 }),
                ("period_end", year.merging(["period_end": "2025-12-31"]) { $1 }),
                ("period_start", year.merging(["period_start": "2026-02-30"]) { $1 }),
                ("value", year.merging(["value": 12.5]) { $1 }),
                ("value", year.merging(["indicator": "trained_rate", "value": 120]) { $1 }),
                ("basis", year.merging(["basis": "weekly"]) { $1 }),
                ("basis", year.merging(["indicator": "trained_rate", "value": 75, "basis": "yearly"]) { $1 }),
                ("key", year.merging(["key": "Jobs 2026!"]) { $1 }),
                ("territory.ward_codes", year.merging(["key": "x1", "territory": ["ward_codes": ["99999"]]]) { $1 }),
                ("territory.ward_codes[0]", year.merging(["key": "x2", "territory": ["ward_codes": ["3133"]]]) { $1 }),
                ("territory.legacy_province_codes", year.merging(["key": "x3", "territory": ["legacy_province_codes": ["00"]]]) { $1 }),
            ]
            for (field, body) in refusals {
                let refused = try await add(client, tokens.admin, body)
                #expect(refused.status == .unprocessableContent, "\(field): \(refused.status)")
                #expect(refused.problem?.field == field, "\(field): \(String(describing: refused.problem?.field))")
            }
            #expect(try await rowCount("targets", url: url) == before)

            let ward = try await add(
                client,
                tokens.admin,
                year.merging(["key": "jobs_2026_vi_tan", "value": 10, "territory": ["ward_codes": ["31333"]]]) { $1 }
            )
            #expect(ward.status == .created)
            #expect(try ward.get().territory.map(\.code) == ["31333"] && ward.get().title.contains("31333"))
            #expect(try await rowCount("audit_log WHERE entity = 'target' AND action = 'create'", url: url) == 2)
            let listed = try await client.answer(ProgressService.TargetList.self, .get, "/api/staff/targets", token: tokens.viewer, snakeCase: true)
                .get()
            #expect(listed.targets.count == 7)
            #expect(listed.targets.first { $0.key == "jobs_2021_2025" }?.territory.map(\.code) == ["93"])
        }
    }

    @Test("only people of a target's territory count toward it: Hậu Giang's targets leave out a worker from old Sóc Trăng")
    func territory() async throws {
        try await withTestApp { client, tokens, url in
            let viThanh = try await insertWorker("Lê Văn Vị Thanh", ward: "31321", url: url)
            let viTan = try await insertWorker("Lê Văn Vị Tân", ward: "31333", url: url)
            let socTrang = try await insertWorker("Lê Văn Sóc Trăng", ward: "31507", url: url)
            for worker in [viThanh, viTan, socTrang] { _ = try await insertPlacement(worker: worker, start: "2026-03-02", url: url) }
            let year: [String: Any] = ["indicator": "jobs", "period_start": "2026-01-01", "period_end": "2026-12-31", "value": 100]
            #expect(try await add(client, tokens.admin, year).status == .created)
            let ward = year.merging(["key": "jobs_2026_vi_tan", "territory": ["ward_codes": ["31333"]]]) { $1 }
            #expect(try await add(client, tokens.admin, ward).status == .created)
            let province = year.merging(["key": "jobs_2026_soc_trang", "territory": ["legacy_province_codes": ["94"]]]) { $1 }
            #expect(try await add(client, tokens.admin, province).status == .created)
            let (targets, _) = try await client.progress(tokens)
            #expect(targets["jobs_2026_2030"]?.count == 2)
            #expect(targets["jobs_2026"]?.count == 3)
            #expect(targets["jobs_2026_vi_tan"]?.count == 1)
            #expect(targets["jobs_2026_soc_trang"]?.count == 1)
            #expect(targets["jobs_2026"]?.percent == 3)
        }
    }

    @Test("yearly and distinct bases: years and months add up on each, and each figure shows the other beside it")
    func bases() async throws {
        try await withTestApp { client, tokens, url in
            let often = try await insertWorker("Trần Văn Nhiều Năm", url: url)
            let once = try await insertWorker("Trần Thị Một Lần", sex: "female", url: url)
            for start in ["2022-05-01", "2023-07-01", "2023-09-01"] { _ = try await insertPlacement(worker: often, start: start, url: url) }
            _ = try await insertPlacement(worker: once, start: "2023-02-01", url: url)
            let distinct: [String: Any] = [
                "key": "jobs_2021_2025_distinct", "indicator": "jobs", "period_start": "2021-01-01", "period_end": "2025-12-31", "value": 75000,
                "basis": "distinct",
            ]
            #expect(try await add(client, tokens.admin, distinct).status == .created)
            let (targets, _) = try await client.progress(tokens)
            let yearly = try #require(targets["jobs_2021_2025"])
            #expect(yearly.basis == .yearly && yearly.count == 3 && yearly.otherBasis.basis == .distinct && yearly.otherBasis.count == 2)
            #expect(groups(yearly, \.byYear) == ["2021": 0, "2022": 1, "2023": 2, "2024": 0, "2025": 0])
            #expect(yearly.monthly.map { "\($0.month)=\($0.count)" } == ["2022-05=1", "2023-02=1", "2023-07=1"])
            let periodOnce = try #require(targets["jobs_2021_2025_distinct"])
            #expect(periodOnce.basis == .distinct && periodOnce.count == 2 && periodOnce.otherBasis.count == 3)
            #expect(groups(periodOnce, \.byYear) == ["2021": 0, "2022": 1, "2023": 1, "2024": 0, "2025": 0])
            #expect(periodOnce.monthly.map { "\($0.month)=\($0.count)" } == ["2022-05=1", "2023-02=1"])
            #expect(yearly.basisLabel != periodOnce.basisLabel && yearly.otherBasis.label == periodOnce.basisLabel)
        }
    }
}
