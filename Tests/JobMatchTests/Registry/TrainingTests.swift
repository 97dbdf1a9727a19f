import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import JobMatch

@Suite("Training")
struct TrainingTests {
    func course(_ client: any TestClientProtocol, _ token: String, seats: Int = 20, level: String = "so_cap") async throws -> Int {
        try await client.created(
            "/api/staff/courses",
            token: token,
            [
                "title": "Hàn điện cơ bản", "occupation_code": "7212", "level": level,
                "start_date": "2026-01-05", "end_date": "2026-04-05", "seats": seats,
            ]
        )
    }

    @Test("concurrent enrolments never exceed the seats")
    func noOverEnrolment() async throws {
        try await withTestApp { client, tokens, url in
            let courseID = try await course(client, tokens.officer, seats: 2)
            var workers: [Int] = []
            for index in 1...6 {
                workers.append(
                    try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker(cccd: String(format: "093190%06d", index)))
                )
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for worker in workers {
                    group.addTask {
                        try await client.json(.post, "/api/staff/enrolments", token: tokens.officer, ["course_id": courseID, "worker_id": worker])
                            .status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 2)
            #expect(statuses.filter { $0 == .conflict }.count == 4)
            #expect(try await rowCount("enrolments", url: url) == 2)
        }
    }

    @Test("support is capped by group and granted once per person, with the reason")
    func supportOnce() async throws {
        try await withTestApp { client, tokens, url in
            let courseID = try await course(client, tokens.officer)
            let longCourse = try await course(client, tokens.officer, level: "trung_cap")
            let worker = try await client.created("/api/staff/workers", token: tokens.officer, Sample.worker())
            let enrolment = try await client.created("/api/staff/enrolments", token: tokens.officer, ["course_id": courseID, "worker_id": worker])
            let longEnrolment = try await client.created(
                "/api/staff/enrolments",
                token: tokens.officer,
                ["course_id": longCourse, "worker_id": worker]
            )
            let overCap = try await client.registry(
                .post,
                "/api/staff/training-supports",
                token: tokens.officer,
                ["enrolment_id": enrolment, "amount_vnd": 3_500_000, "basis": "poor", "decided_on": "2026-02-01"],
                as: RegistryAnswer.Problem.self
            )
            #expect(overCap.status == .unprocessableContent)
            #expect(try overCap.value().field == "amount_vnd")
            #expect(try overCap.value().detail == "Mức hỗ trợ cho nhóm này tối đa 3000000 đồng (Quyết định 46/2015/QĐ-TTg).")
            let wrongLevel = try await client.registry(
                .post,
                "/api/staff/training-supports",
                token: tokens.officer,
                ["enrolment_id": longEnrolment, "amount_vnd": 3_000_000, "basis": "poor", "decided_on": "2026-02-01"],
                as: RegistryAnswer.Problem.self
            )
            #expect(wrongLevel.status == .unprocessableContent)
            #expect(try wrongLevel.value().field == "enrolment_id")
            let first = try await client.registry(
                .post,
                "/api/staff/training-supports",
                token: tokens.officer,
                ["enrolment_id": enrolment, "amount_vnd": 3_000_000, "basis": "poor", "decided_on": "2026-02-01"],
                as: RegistryAnswer.Created.self
            )
            #expect(first.status == .created)
            let second = try await client.registry(
                .post,
                "/api/staff/training-supports",
                token: tokens.officer,
                ["enrolment_id": enrolment, "amount_vnd": 2_000_000, "basis": "rural_or_women", "decided_on": "2026-03-01"],
                as: RegistryAnswer.Problem.self
            )
            #expect(second.status == .conflict)
            #expect(try second.value().detail?.contains("một lần") == true)
            #expect(try second.value().existingId == first.value().id, "the earlier grant is named")
            #expect(try await rowCount("training_supports", url: url) == 1)
        }
    }
}
