import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Referring a worker to a vacancy and recording the hire, which creates a placement.
struct ReferralRoutes {
    let client: PostgresClient

    /// `POST /referrals` body.
    struct NewReferral: Decodable {
        let vacancyId: Int64
        let workerId: Int64
    }

    /// `POST /referrals/{id}/hire` body.
    struct Hire: Decodable {
        let startDate: String
        let wageVnd: Int64?
    }

    struct ReferralView: ResponseCodable {
        let id: Int64
        let status: String
        let score: Int
        let scoreParts: [ScorePart]
        let placementId: Int64?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("referrals", use: self.create)
        group.post("referrals/:id/hire", use: self.hire)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ReferralView> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewReferral.self, context: context)
        let logger = context.logger
        let view = try await self.client.withTransaction(logger: logger) { tx in
            guard let status = try await tx.query("SELECT status FROM vacancies WHERE id = \(input.vacancyId) FOR UPDATE", logger: logger).first(String.self) else {
                throw AppError.invalid(field: "vacancy_id", "Không tìm thấy vị trí tuyển dụng có mã \(input.vacancyId).")
            }
            guard status == "open" else { throw AppError.conflict("Vị trí tuyển dụng đã đóng.", field: "vacancy_id") }
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(input.workerId)
            guard let candidate = try await CandidateFinder(connection: tx, logger: logger)
                .candidates(vacancyID: input.vacancyId, onlyWorker: input.workerId, limit: 1).first
            else {
                throw AppError.conflict("Người lao động không đủ điều kiện cho vị trí này (không còn tìm việc, đã được giới thiệu hoặc đã có việc).",
                                        field: "worker_id")
            }
            let parts = try String(decoding: JSONEncoder().encode(candidate.score.parts), as: UTF8.self)
            let id = try await tx.query(
                """
                INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts, created_by)
                VALUES (\(input.vacancyId), \(input.workerId), 'referred', \(candidate.score.total), \(parts)::jsonb, \(staff.id))
                RETURNING id
                """, logger: logger).first(Int64.self)!
            try await tx.query(
                "INSERT INTO referral_events (referral_id, from_status, to_status, actor_kind, actor_id) VALUES (\(id), NULL, 'referred', 'staff', \(staff.id))",
                logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "refer", entity: "referral", entityID: id,
                                      after: ["vacancy_id": "\(input.vacancyId)", "worker_id": "\(input.workerId)"], logger: logger)
            try await WebhookRepository.enqueueReferralCreated(referralID: id, on: tx, logger: logger)
            return ReferralView(id: id, status: "referred", score: candidate.score.total, scoreParts: candidate.score.parts, placementId: nil)
        }
        return EditedResponse(status: .created, response: view)
    }

    @Sendable func hire(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(Hire.self, context: context)
        let start = try ReferralWorkflow.startDate(input.startDate)
        if let wage = input.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let referral = try await ReferralWorkflow.lock(id, employerID: nil, on: tx, logger: logger)
            let placementID = try await ReferralWorkflow.hire(referral, start: start, wage: input.wageVnd, actor: context.principal, on: tx, logger: logger)
            guard let (score, partsJSON) = try await tx.query("SELECT score, score_parts::text FROM referrals WHERE id = \(id)", logger: logger)
                .decode((Int, String).self).first(where: { _ in true })
            else { throw AppError.notFound("lượt giới thiệu \(id)") }
            let parts = try JSONDecoder().decode([ScorePart].self, from: Data(partsJSON.utf8))
            return ReferralView(id: id, status: "hired", score: score, scoreParts: parts, placementId: placementID)
        }
    }
}
