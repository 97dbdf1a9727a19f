import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Staff's side of the referral workflow: propose or refer a worker, accept or drop a proposal,
/// record the interview, the rejection or the hire (which creates a placement), and see every
/// step with who took it and when. Referring needs the worker's consent; the score and its parts
/// are kept as they were when the worker was referred.
struct ReferralRoutes {
    let client: PostgresClient

    /// `POST /referrals` body; `status` is `referred` (default) or `proposed`.
    struct NewReferral: Decodable {
        let vacancyId: Int64
        let workerId: Int64
        let status: String?
    }

    /// `POST /referrals/{id}/hire` body.
    struct Hire: Decodable {
        let startDate: String
        let wageVnd: Int64?
    }

    /// `POST /referrals/{id}/interview` body.
    struct Interview: Decodable {
        let interviewedOn: String
        let outcome: String
        let note: String?
    }

    /// `POST /referrals/{id}/reject` and `/withdraw` body.
    struct Reason: Decodable {
        let reason: String
    }

    struct Event: Codable {
        let fromStatus: String?
        let toStatus: String
        let actorKind: String
        let actorId: Int64?
        let note: String?
        let at: String
    }

    struct ReferralView: ResponseCodable {
        let id: Int64
        let vacancyId: Int64
        let workerId: Int64
        let status: String
        let score: Int
        let scoreParts: [ScorePart]
        let placementId: Int64?
        let events: [Event]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("referrals", use: self.create)
        group.get("referrals/:id", use: self.show)
        group.post("referrals/:id/accept", use: self.accept)
        group.post("referrals/:id/withdraw", use: self.withdraw)
        group.post("referrals/:id/interview", use: self.interview)
        group.post("referrals/:id/reject", use: self.reject)
        group.post("referrals/:id/hire", use: self.hire)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ReferralView> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewReferral.self, context: context)
        let status = input.status ?? "referred"
        guard ["referred", "proposed"].contains(status) else {
            throw AppError.invalid(field: "status", "Trạng thái ban đầu chỉ có thể là 'referred' (giới thiệu) hoặc 'proposed' (đề xuất).")
        }
        let logger = context.logger
        let view = try await self.client.withTransaction(logger: logger) { tx in
            guard let vacancyStatus = try await tx.query("SELECT status FROM vacancies WHERE id = \(input.vacancyId) FOR UPDATE", logger: logger)
                .first(String.self)
            else { throw AppError.invalid(field: "vacancy_id", "Không tìm thấy vị trí tuyển dụng có mã \(input.vacancyId).") }
            guard vacancyStatus == "open" else { throw AppError.conflict("Vị trí tuyển dụng đã đóng.", field: "vacancy_id") }
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(input.workerId)
            let finder = CandidateFinder(connection: tx, logger: logger)
            guard let candidate = try await finder.candidates(vacancyID: input.vacancyId, onlyWorker: input.workerId, limit: 1).first else {
                let reason = try await finder.whyNot(workerID: input.workerId, vacancyID: input.vacancyId) ?? "Người lao động không đủ điều kiện."
                throw AppError.conflict(reason, field: "worker_id")
            }
            let id = try await Self.insert(vacancyID: input.vacancyId, workerID: input.workerId, status: status, score: candidate.score,
                                           staffID: staff.id, on: tx, logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: status == "proposed" ? "propose" : "refer", entity: "referral",
                                      entityID: id, after: ["vacancy_id": "\(input.vacancyId)", "worker_id": "\(input.workerId)"], logger: logger)
            if status == "referred" { try await WebhookRepository.enqueueReferralCreated(referralID: id, on: tx, logger: logger) }
            return try await Self.view(id, on: tx, logger: logger)!
        }
        return EditedResponse(status: .created, response: view)
    }

    /// Writes a referral with its score and its first step; returns its id.
    /// Without `staffID` the step is the system's (a batch run from the command line).
    static func insert(vacancyID: Int64, workerID: Int64, status: String, score: CandidateScore, staffID: Int64?, batchID: Int64? = nil,
                       note: String? = nil, on tx: PostgresConnection, logger: Logger) async throws -> Int64 {
        let parts = try Self.partsJSON(score)
        let id = try await tx.query(
            """
            INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts, created_by, batch_id)
            VALUES (\(vacancyID), \(workerID), \(status), \(score.total), \(parts)::jsonb, \(staffID), \(batchID))
            RETURNING id
            """, logger: logger).first(Int64.self)!
        try await tx.query(
            """
            INSERT INTO referral_events (referral_id, from_status, to_status, actor_kind, actor_id, note)
            VALUES (\(id), NULL, \(status), \(staffID == nil ? "system" : "staff"), \(staffID), \(note))
            """, logger: logger)
        return id
    }

    /// A score's parts as the `score_parts` column keeps them.
    static func partsJSON(_ score: CandidateScore, encoder: JSONEncoder = JSONEncoder()) throws -> String {
        String(decoding: try encoder.encode(score.parts), as: UTF8.self)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.client.withConnection { connection in
            guard let view = try await Self.view(id, on: connection, logger: context.logger) else { throw AppError.notFound("lượt giới thiệu \(id)") }
            return view
        }
    }

    /// Proposed -> referred, once the worker is still eligible and consents; the score is taken
    /// again now, at referral time (the proposal's score stays in the step's note).
    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        try await self.step(request, context) { referral, tx, logger in
            guard referral.status == "proposed" else {
                try await ReferralWorkflow.move(referral, to: "referred", actor: context.principal, on: tx, logger: logger)  // 409 with the allowed steps
                return
            }
            let open = try await tx.query("SELECT status = 'open' FROM vacancies WHERE id = \(referral.vacancyID) FOR UPDATE", logger: logger).first(Bool.self)
            guard open == true else { throw AppError.conflict("Vị trí tuyển dụng đã đóng; hãy bỏ đề xuất này.", field: "vacancy_id") }
            let finder = CandidateFinder(connection: tx, logger: logger)
            guard let candidate = try await finder.candidates(vacancyID: referral.vacancyID, onlyWorker: referral.workerID,
                                                             exceptReferral: referral.id, limit: 1).first
            else {
                let reason = try await finder.whyNot(workerID: referral.workerID, vacancyID: referral.vacancyID, exceptReferral: referral.id)
                throw AppError.conflict(reason ?? "Người lao động không còn đủ điều kiện.", field: "worker_id")
            }
            let proposed = try await tx.query("SELECT score FROM referrals WHERE id = \(referral.id)", logger: logger).first(Int.self) ?? 0
            try await ReferralWorkflow.move(referral, to: "referred", note: "Điểm khi đề xuất: \(proposed)", actor: context.principal, on: tx, logger: logger)
            let parts = try Self.partsJSON(candidate.score)
            try await tx.query("UPDATE referrals SET score = \(candidate.score.total), score_parts = \(parts)::jsonb WHERE id = \(referral.id)",
                               logger: logger)
            try await WebhookRepository.enqueueReferralCreated(referralID: referral.id, on: tx, logger: logger)
        }
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let reason = try await Self.reason(request, context)
        return try await self.step(request, context) { referral, tx, logger in
            try await ReferralWorkflow.move(referral, to: "withdrawn", note: reason, actor: context.principal, on: tx, logger: logger)
        }
    }

    @Sendable func interview(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let input = try await request.decodeJSON(Interview.self, context: context)
        let day = try Input.date(input.interviewedOn, field: "interviewed_on", label: "Ngày phỏng vấn")
        guard day <= LocalDate.today() else { throw AppError.invalid(field: "interviewed_on", "Ngày phỏng vấn không thể ở tương lai.") }
        guard ["passed", "failed", "no_show"].contains(input.outcome) else {
            throw AppError.invalid(field: "outcome", "Kết quả phỏng vấn là 'passed' (đạt), 'failed' (không đạt) hoặc 'no_show' (không đến).")
        }
        let note = try CleanText.optional(input.note, field: "note", label: "Ghi chú", maxLength: 1000)
        return try await self.step(request, context) { referral, tx, logger in
            try await ReferralWorkflow.interview(referral, on: day, outcome: input.outcome, note: note, actor: context.principal, on: tx, logger: logger)
        }
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let reason = try await Self.reason(request, context)
        return try await self.step(request, context) { referral, tx, logger in
            try await ReferralWorkflow.reject(referral, reason: reason, actor: context.principal, on: tx, logger: logger)
        }
    }

    @Sendable func hire(_ request: Request, context: AppRequestContext) async throws -> ReferralView {
        let input = try await request.decodeJSON(Hire.self, context: context)
        let start = try ReferralWorkflow.startDate(input.startDate)
        if let wage = input.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        return try await self.step(request, context) { referral, tx, logger in
            _ = try await ReferralWorkflow.hire(referral, start: start, wage: input.wageVnd, actor: context.principal, on: tx, logger: logger)
        }
    }

    static func reason(_ request: Request, _ context: AppRequestContext) async throws -> String {
        let input = try await request.decodeJSON(Reason.self, context: context)
        return try CleanText.required(input.reason, field: "reason", label: "Lý do", maxLength: 1000)
    }

    /// Locks the referral, applies `change` in one transaction, and returns the referral as it is now.
    private func step(_ request: Request, _ context: AppRequestContext,
                      _ change: @escaping @Sendable (ReferralWorkflow.Locked, PostgresConnection, Logger) async throws -> Void) async throws -> ReferralView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let referral = try await ReferralWorkflow.lock(id, employerID: nil, on: tx, logger: logger)
            try await change(referral, tx, logger)
            return try await Self.view(id, on: tx, logger: logger)!
        }
    }

    /// The referral with its steps, or nil.
    static func view(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> ReferralView? {
        let rows = try await connection.query(
            """
            SELECT r.vacancy_id, r.worker_id, r.status, r.score, r.score_parts::text,
                   (SELECT p.id FROM live_placements() p WHERE p.referral_id = r.id)
            FROM referrals r WHERE r.id = \(id)
            """, logger: logger)
        guard let (vacancy, worker, status, score, partsJSON, placement) = try await rows.decode((Int64, Int64, String, Int, String, Int64?).self)
            .first(where: { _ in true }) else { return nil }
        let parts = try JSONDecoder().decode([ScorePart].self, from: Data(partsJSON.utf8))
        var events: [Event] = []
        let eventRows = try await connection.query(
            """
            SELECT from_status, to_status, actor_kind, actor_id, note,
                   to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
            FROM referral_events WHERE referral_id = \(id) ORDER BY id
            """, logger: logger)
        for try await (from, to, kind, actor, note, at) in eventRows.decode((String?, String, String, Int64?, String?, String).self) {
            events.append(Event(fromStatus: from, toStatus: to, actorKind: kind, actorId: actor, note: note, at: at))
        }
        return ReferralView(id: id, vacancyId: vacancy, workerId: worker, status: status, score: score, scoreParts: parts,
                            placementId: placement, events: events)
    }
}
