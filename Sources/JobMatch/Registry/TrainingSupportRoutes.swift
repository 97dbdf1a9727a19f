import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// State support for a short course (Decision 46/2015): capped by priority group, once per person.
struct TrainingSupportRoutes {
    let client: PostgresClient

    /// The priority group a support is granted under, with its cap in VND.
    enum Basis: String, CaseIterable {
        case disability
        case poorEthnicMinority = "poor_ethnic_minority"
        case poor
        case nearPoor = "near_poor"
        case ruralOrWomen = "rural_or_women"

        var capVND: Int64 {
            switch self {
            case .disability: 6_000_000
            case .poorEthnicMinority: 4_000_000
            case .poor: 3_000_000
            case .nearPoor: 2_500_000
            case .ruralOrWomen: 2_000_000
            }
        }
    }

    /// `POST /training-supports` body.
    struct NewSupport: Decodable {
        let enrolmentId: Int64
        let amountVnd: Int64
        let basis: String
        let decidedOn: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("training-supports", use: self.grant)
    }

    @Sendable func grant(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        _ = try context.requireStaff()
        let input = try await request.decodeJSON(NewSupport.self, context: context)
        let basis = try Input.choice(input.basis, as: Basis.self, field: "basis")
        guard (1...basis.capVND).contains(input.amountVnd) else {
            throw AppError.invalid(field: "amount_vnd", "Mức hỗ trợ cho nhóm này tối đa \(basis.capVND) đồng (Quyết định 46/2015/QĐ-TTg).")
        }
        let decided = try Input.date(input.decidedOn, field: "decided_on", label: "Ngày quyết định")
        let logger = context.logger
        let id = try await self.client.withTransaction(logger: logger) { tx in
            guard let (workerID, level) = try await tx.query(
                "SELECT e.worker_id, c.level FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.id = \(input.enrolmentId)",
                logger: logger).decode((Int64, String).self).first(where: { _ in true })
            else { throw AppError.invalid(field: "enrolment_id", "Không tìm thấy lượt ghi danh có mã \(input.enrolmentId).") }
            guard ["under_3_months", "so_cap"].contains(level) else {
                throw AppError.invalid(field: "enrolment_id", "Chỉ hỗ trợ đào tạo trình độ sơ cấp và dưới 3 tháng.")
            }
            // Serialise grants for one person so two clerks cannot both grant the first support.
            _ = try await tx.query("SELECT id FROM workers WHERE id = \(workerID) FOR UPDATE", logger: logger)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(workerID, field: "enrolment_id")
            // Records merged into this one are the same person: their grants count too.
            if let (earlier, on) = try await tx.query(
                """
                SELECT id, decided_on::text FROM training_supports
                WHERE worker_id IN (SELECT id FROM workers WHERE id = \(workerID) OR merged_into = \(workerID))
                """, logger: logger
            ).decode((Int64, String).self).first(where: { _ in true }) {
                throw AppError.conflict(
                    "Người lao động đã được hỗ trợ đào tạo (quyết định ngày \(LocalDate(on)?.vietnamese ?? on), mã \(earlier)); mỗi người chỉ được hỗ trợ một lần.",
                    field: "enrolment_id", extra: ["existing_id": earlier])
            }
            let id = try await tx.query(
                """
                INSERT INTO training_supports (worker_id, enrolment_id, amount_vnd, basis, decided_on)
                VALUES (\(workerID), \(input.enrolmentId), \(input.amountVnd), \(basis.rawValue), \(decided.description)::date) RETURNING id
                """, logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "grant_support", entity: "worker", entityID: workerID,
                                      after: ["amount_vnd": "\(input.amountVnd)", "basis": basis.rawValue], logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }
}
