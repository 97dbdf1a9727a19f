import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// A worker's consents (given and withdrawn, never deleted) and skills.
struct WorkerDetailRoutes {
    let client: PostgresClient

    struct Consent: ResponseCodable {
        let id: Int64
        let purpose: String
        let means: String
        let givenAt: String
        let withdrawnAt: String?
        let withdrawalMeans: String?
    }

    struct ConsentList: ResponseCodable {
        let consents: [Consent]
    }

    /// `POST /workers/{id}/consents` body; `given_at` defaults to now.
    struct NewConsent: Decodable {
        let purpose: String
        let means: String
        let givenAt: String?
    }

    /// `POST /workers/{id}/consents/{consent_id}/withdraw` body; `withdrawn_at` defaults to now.
    struct Withdrawal: Decodable {
        let means: String
        let withdrawnAt: String?
    }

    /// `PUT /workers/{id}/skills` body: the whole set.
    struct SkillSet: Decodable {
        let skillIds: [Int64]
    }

    struct SkillList: ResponseCodable {
        let skills: [SkillRoutes.Skill]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers/:id/consents", use: self.consents)
        group.post("workers/:id/consents", use: self.giveConsent)
        group.post("workers/:id/consents/:consent/withdraw", use: self.withdraw)
        group.get("workers/:id/skills", use: self.skills)
        group.put("workers/:id/skills", use: self.replaceSkills)
    }

    @Sendable func consents(_ request: Request, context: AppRequestContext) async throws -> ConsentList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.client.withConnection { connection in
            try await Self.requireWorker(id, on: connection, logger: context.logger)
            return ConsentList(consents: try await Self.consents(of: id, on: connection, logger: context.logger))
        }
    }

    @Sendable func giveConsent(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Consent> {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(NewConsent.self, context: context)
        let purpose = try Input.choice(input.purpose, as: WorkerRoutes.ConsentPurpose.self, field: "purpose")
        let means = try Input.choice(input.means, as: WorkerRoutes.ConsentMeans.self, field: "means")
        let givenAt = try Self.moment(input.givenAt, field: "given_at", label: "Thời điểm đồng ý")
        let logger = context.logger
        let consent = try await self.client.withTransaction(logger: logger) { tx in
            try await Self.requireWorker(id, on: tx, logger: logger, lock: true)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(id, field: "id")
            if try await tx.query(
                "SELECT 1 FROM worker_consents WHERE worker_id = \(id) AND purpose = \(purpose.rawValue) AND withdrawn_at IS NULL",
                logger: logger).first(Int.self) != nil {
                throw AppError.conflict("Người lao động đang có sự đồng ý còn hiệu lực cho mục đích này.", field: "purpose")
            }
            let consentID = try await tx.query(
                """
                INSERT INTO worker_consents (worker_id, purpose, means, given_at, created_by)
                VALUES (\(id), \(purpose.rawValue), \(means.rawValue), COALESCE(\(givenAt)::timestamptz, now()), \(staff.id)) RETURNING id
                """, logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "give_consent", entity: "worker", entityID: id,
                                      after: ["consent_id": "\(consentID)", "purpose": purpose.rawValue, "means": means.rawValue], logger: logger)
            return try await Self.consents(of: id, on: tx, logger: logger).first { $0.id == consentID }!
        }
        return EditedResponse(status: .created, response: consent)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Consent {
        let staff = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let consentID = try context.parameters.require("consent", as: Int64.self)
        let input = try await request.decodeJSON(Withdrawal.self, context: context)
        let means = try Input.choice(input.means, as: WorkerRoutes.ConsentMeans.self, field: "means")
        let withdrawnAt = try Self.moment(input.withdrawnAt, field: "withdrawn_at", label: "Thời điểm rút lại")
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard let (givenAt, withdrawn) = try await tx.query(
                "SELECT given_at, withdrawn_at IS NOT NULL FROM worker_consents WHERE id = \(consentID) AND worker_id = \(id) FOR UPDATE",
                logger: logger).decode((Date, Bool).self).first(where: { _ in true })
            else { throw AppError.notFound("sự đồng ý \(consentID) của người lao động \(id)") }
            guard !withdrawn else { throw AppError.conflict("Sự đồng ý này đã được rút lại trước đó.") }
            if let withdrawnAt, let moment = ISO8601DateFormatter().date(from: withdrawnAt), moment < givenAt {
                throw AppError.invalid(field: "withdrawn_at", "Thời điểm rút lại không thể trước thời điểm đồng ý.")
            }
            try await tx.query(
                """
                UPDATE worker_consents SET withdrawn_at = COALESCE(\(withdrawnAt)::timestamptz, now()),
                       withdrawal_means = \(means.rawValue), withdrawn_by = \(staff.id)
                WHERE id = \(consentID)
                """, logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "withdraw_consent", entity: "worker", entityID: id,
                                      before: ["consent_id": "\(consentID)", "withdrawn_at": ""],
                                      after: ["consent_id": "\(consentID)", "means": means.rawValue], logger: logger)
            return try await Self.consents(of: id, on: tx, logger: logger).first { $0.id == consentID }!
        }
    }

    @Sendable func skills(_ request: Request, context: AppRequestContext) async throws -> SkillList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.client.withConnection { connection in
            try await Self.requireWorker(id, on: connection, logger: context.logger)
            return SkillList(skills: try await Self.skills(of: id, on: connection, logger: context.logger))
        }
    }

    @Sendable func replaceSkills(_ request: Request, context: AppRequestContext) async throws -> SkillList {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(SkillSet.self, context: context)
        let wanted = Array(Set(input.skillIds)).sorted()
        guard wanted.count <= 50 else { throw AppError.invalid(field: "skill_ids", "Tối đa 50 kỹ năng.") }
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            try await Self.requireWorker(id, on: tx, logger: logger, lock: true)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(id, field: "id")
            let known = Set(try await tx.query("SELECT id FROM skills WHERE id = ANY(\(wanted))", logger: logger).collect(Int64.self))
            if let (index, unknown) = input.skillIds.enumerated().first(where: { !known.contains($0.element) }) {
                throw AppError.invalid(field: "skill_ids[\(index)]", "Không có kỹ năng mã \(unknown) trong danh mục.")
            }
            let before = try await Self.skills(of: id, on: tx, logger: logger).map(\.id)
            try await tx.query("DELETE FROM worker_skills WHERE worker_id = \(id) AND NOT (skill_id = ANY(\(wanted)))", logger: logger)
            try await tx.query(
                "INSERT INTO worker_skills (worker_id, skill_id) SELECT \(id), unnest(\(wanted)::bigint[]) ON CONFLICT DO NOTHING",
                logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "set_skills", entity: "worker", entityID: id,
                                      before: ["skill_ids": before.map(String.init).joined(separator: ",")],
                                      after: ["skill_ids": wanted.map(String.init).joined(separator: ",")], logger: logger)
            return SkillList(skills: try await Self.skills(of: id, on: tx, logger: logger))
        }
    }

    /// 404 unless the worker exists; with `lock`, the row stays locked for the transaction.
    static func requireWorker(_ id: Int64, on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws {
        let query: PostgresQuery = lock ? "SELECT id FROM workers WHERE id = \(id) FOR UPDATE" : "SELECT id FROM workers WHERE id = \(id)"
        guard try await connection.query(query, logger: logger).first(Int64.self) != nil else {
            throw AppError.notFound("người lao động \(id)")
        }
    }

    static func consents(of id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [Consent] {
        let rows = try await connection.query(
            """
            SELECT id, purpose, means, to_char(given_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'),
                   to_char(withdrawn_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS"+07:00"'), withdrawal_means
            FROM worker_consents WHERE worker_id = \(id) ORDER BY given_at, id
            """, logger: logger)
        var consents: [Consent] = []
        for try await (consentID, purpose, means, given, withdrawn, withdrawalMeans) in rows.decode((Int64, String, String, String, String?, String?).self) {
            consents.append(Consent(id: consentID, purpose: purpose, means: means, givenAt: given, withdrawnAt: withdrawn, withdrawalMeans: withdrawalMeans))
        }
        return consents
    }

    static func skills(of id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [SkillRoutes.Skill] {
        let rows = try await connection.query(
            """
            SELECT s.id, s.name_vi FROM worker_skills ws JOIN skills s ON s.id = ws.skill_id
            WHERE ws.worker_id = \(id) ORDER BY s.name_vi COLLATE "vi-VN-x-icu", s.id
            """, logger: logger)
        var skills: [SkillRoutes.Skill] = []
        for try await (skillID, name) in rows.decode((Int64, String).self) { skills.append(SkillRoutes.Skill(id: skillID, name: name)) }
        return skills
    }

    /// An ISO 8601 moment (`2026-03-01T09:00:00+07:00`) or a date (the start of that day in
    /// Vietnam); never in the future. Nil when absent (meaning now).
    static func moment(_ text: String?, field: String, label: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        let instant: Date
        if let parsed = ISO8601DateFormatter().date(from: text) {
            instant = parsed
        } else if let day = LocalDate(text) {
            return try self.moment("\(day.description)T00:00:00+07:00", field: field, label: label)
        } else {
            throw AppError.invalid(field: field, "\(label) phải có dạng yyyy-mm-dd hoặc yyyy-mm-ddThh:mm:ss+07:00.")
        }
        guard instant <= Date().addingTimeInterval(60) else { throw AppError.invalid(field: field, "\(label) không thể ở tương lai.") }
        return ISO8601DateFormatter().string(from: instant)
    }
}
