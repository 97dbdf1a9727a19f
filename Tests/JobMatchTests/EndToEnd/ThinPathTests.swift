import EmployerAPI
import Foundation
import Hummingbird
import HummingbirdTesting
import JobMatchCore
import PostgresNIO
import Testing

@testable import JobMatch

@Suite("The thin path, end to end over HTTP")
struct ThinPathTests {
    @Test("register, train, post a vacancy, match, refer, hire, send abroad, count, export")
    func wholePath() async throws {
        try await withTestApp { client, tokens, url in
            let staff = tokens.officer
            // Households: one poor, one near-poor, one with no status.
            let poor = try await client.created("/api/staff/households", token: staff, Sample.household(status: "poor"))
            let nearPoor = try await client.created("/api/staff/households", token: staff, Sample.household(status: "near_poor"))

            // Workers: the near-poor welder registers first; the poor welder should still rank first.
            let nearPoorWelder =
                try await client.created(
                    "/api/staff/workers",
                    token: staff,
                    Sample.worker(cccd: "093090000001", sex: "male", household: Int64(nearPoor)).consenting()
                )
            let poorWelder =
                try await client.created("/api/staff/workers", token: staff, Sample.worker(cccd: "093190000002", household: Int64(poor)).consenting())
            let cook =
                try await client.created("/api/staff/workers", token: staff, Sample.worker(cccd: "093190000003", occupations: ["5120"]).consenting())
            let emigrant =
                try await client.created(
                    "/api/staff/workers",
                    token: staff,
                    Sample.worker(cccd: "093090000004", sex: "male", household: Int64(poor), occupations: ["8121"]).consenting()
                )

            // Training: a welding course, completed by the poor welder.
            let course = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/courses",
                token: staff,
                [
                    "title": "Hàn điện cơ bản", "occupation_code": "7212", "level": "so_cap",
                    "start_date": "2026-01-05", "end_date": "2026-04-05", "seats": 20,
                ]
            )
            #expect(course.status == .created)
            let enrolment = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/enrolments",
                token: staff,
                ["course_id": try course.get().id, "worker_id": poorWelder]
            )
            #expect(enrolment.status == .created)
            let completed = try await client.answer(
                WithStatus.self,
                .post,
                "/api/staff/enrolments/\(try enrolment.get().id)/complete",
                token: staff,
                ["certificate_number": "SC-2026-001", "completed_on": "2026-04-05"]
            )
            #expect(completed.status == .ok)
            #expect(try completed.get().status == "completed")

            // An employer, its key, and a vacancy posted through the employer API.
            let employer = try await client.created("/api/staff/employers", token: staff, Sample.employer())
            let key = try await client.issueKey(employer: employer, token: staff)
            let vacancy = try await client.answer(Components.Schemas.Vacancy.self, .post, "/api/v1/vacancies", token: key, Sample.vacancy(slots: 1))
            #expect(vacancy.status == .created)
            let vacancyID = Int(try vacancy.get().id)
            let listed = try await client.answer(Components.Schemas.VacancyPage.self, .get, "/api/v1/vacancies", token: key).get().vacancies
            #expect(listed.map { Int($0.id) } == [vacancyID])

            // Candidates: poor before near-poor, matching occupation before others; every score explained.
            let candidates = try await client.answer(
                CandidateList.self,
                .get,
                "/api/staff/vacancies/\(vacancyID)/candidates?limit=20",
                token: staff,
                snakeCase: true
            )
            #expect(candidates.status == .ok)
            let ranked = try candidates.get().candidates
            let order = ranked.map { Int($0.workerId) }
            #expect(Array(order.prefix(2)) == [poorWelder, nearPoorWelder])
            #expect(order.contains(cook))
            #expect(order.firstIndex(of: cook)! > order.firstIndex(of: nearPoorWelder)!)
            for candidate in ranked {
                #expect(candidate.scoreParts.map(\.points).reduce(0, +) == candidate.score)
            }

            // Refer and hire: the hire creates a placement; the vacancy's only slot is now taken.
            let referral = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/referrals",
                token: staff,
                ["vacancy_id": vacancyID, "worker_id": poorWelder]
            )
            #expect(referral.status == .created)
            let again = try await client.json(.post, "/api/staff/referrals", token: staff, ["vacancy_id": vacancyID, "worker_id": poorWelder])
            #expect(again.status == .conflict)
            let hire = try await client.answer(
                Hired.self,
                .post,
                "/api/staff/referrals/\(try referral.get().id)/hire",
                token: staff,
                ["start_date": "2026-11-02", "wage_vnd": 7_500_000],
                snakeCase: true
            )
            #expect(hire.status == .ok)
            #expect(hire.value?.placementId != nil)
            let second = try await client.created("/api/staff/referrals", token: staff, ["vacancy_id": vacancyID, "worker_id": nearPoorWelder])
            let full = try await client.json(.post, "/api/staff/referrals/\(second)/hire", token: staff, ["start_date": "2026-11-03"])
            #expect(full.status == .conflict)

            // Abroad: a contract, refused under 18, then the departure counts.
            let contract = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/overseas-contracts",
                token: staff,
                [
                    "worker_id": emigrant, "country": "JP", "occupation_code": "8121", "term_months": 36, "planned_departure": "2026-11-10",
                ]
            )
            #expect(contract.status == .created)
            let badCountry = try await client.answer(
                CreatedRecord.self,
                .post,
                "/api/staff/overseas-contracts",
                token: staff,
                [
                    "worker_id": emigrant, "country": "XX", "occupation_code": "8121", "term_months": 36, "planned_departure": "2026-11-10",
                ]
            )
            #expect(badCountry.problem?.field == "country")
            let departure = try await client.json(
                .post,
                "/api/staff/overseas-contracts/\(try contract.get().id)/departure",
                token: staff,
                ["departure_date": "2026-11-12"]
            )
            #expect(departure.status == .ok)
            let twice = try await client.json(
                .post,
                "/api/staff/overseas-contracts/\(try contract.get().id)/departure",
                token: staff,
                ["departure_date": "2026-11-13"]
            )
            #expect(twice.status == .conflict)

            // Progress: two workers placed in 2026-2030; the departure counts toward jobs too.
            let progress = try await client.staff(ProgressService.ProgressView.self, .get, "/api/staff/progress", token: tokens.viewer)
            let targets = Dictionary(uniqueKeysWithValues: progress.targets.map { ($0.key, $0) })
            #expect(targets.count == progress.targets.count, "one entry a target")
            #expect(Set(targets.keys) == ["jobs_2021_2025", "jobs_2026_2030", "abroad_2021_2025"])
            #expect(targets["jobs_2021_2025"]?.target == 75000)
            #expect(targets["jobs_2026_2030"]?.target == 95000)
            #expect(targets["abroad_2021_2025"]?.target == 2500)
            #expect(targets["jobs_2026_2030"]?.count == 2)
            #expect(targets["jobs_2021_2025"]?.count == 0)

            // Export: the API streams the same bytes the CLI writes; UTF-8 with BOM, header, two rows, CCCD masked.
            let response = try await client.execute(
                uri: "/api/staff/exports/placements?month=2026-11",
                method: .get,
                headers: [.authorization: "Bearer \(staff)"]
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            let bytes = Array(buffer: response.body)
            #expect(Array(bytes.prefix(3)) == CSVWriter.byteOrderMark)
            let rows = try CSVReader.parse(String(decoding: bytes, as: UTF8.self))
            let placed = Array(rows.prefix { !$0.allSatisfy(\.isEmpty) })
            #expect(placed.count == 3)
            #expect(placed[0].first == "STT")
            #expect(placed[1][1] == "Trần Thị Bình" && placed[1][5] == "0931******02" && placed[1][7] == "Hộ nghèo")
            #expect(placed[2][14] == "JP")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("093190000002"))
            let cliBytes = try await TestCluster.withClient(try DatabaseURL.configuration(from: url)) { db in
                try await PlacementExports(client: db, logger: TestCluster.logger).bytes(
                    PlacementExportSpec(range: .month(Month("2026-11")!), asOf: .today(), fullCCCD: false),
                    format: .csv,
                    actor: nil
                )
            }
            #expect(cliBytes == bytes)
            #expect(try await rowCount("audit_log WHERE action = 'export'", url: url) == 2)
        }
    }
}

/// An answer read only for its `status` (a completed enrolment).
private struct WithStatus: Decodable {
    let status: String
}

/// A hire's answer, read for the placement it made.
private struct Hired: Decodable {
    let placementId: Int
}
