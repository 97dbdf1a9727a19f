import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// Staff's side of the referral workflow, for the JSON routes and the pages alike: propose or refer
/// a worker, accept or drop a proposal, record the interview, the rejection or the hire (which
/// creates a placement), and read a referral with every step. Referring needs the worker's consent
/// and eligibility; the score and its parts are kept as they were when the worker was referred.
/// Each step runs in one transaction with its audit entry.
struct ReferralService: Sendable {
    let client: PostgresClient

    /// Refers (or proposes) an eligible, consenting worker to an open vacancy.
    func create(_ input: NewReferral, staffID: Int64, actor: Principal?, logger: Logger) async throws -> ReferralView {
        let status = input.status ?? "referred"
        guard ["referred", "proposed"].contains(status) else {
            throw AppError.invalid(field: "status", "Trạng thái ban đầu chỉ có thể là 'referred' (giới thiệu) hoặc 'proposed' (đề xuất).")
        }
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let vacancyStatus = try await tx.query("SELECT status FROM vacancies WHERE id = \(input.vacancyId) FOR UPDATE", logger: logger)
                    .first(String.self)
            else { throw AppError.invalid(field: "vacancy_id", "Không tìm thấy vị trí tuyển dụng có mã \(input.vacancyId).") }
            guard vacancyStatus == "open" else { throw AppError.conflict("Vị trí tuyển dụng đã đóng.", field: "vacancy_id") }
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(input.workerId)
            let finder = CandidateFinder(connection: tx, logger: logger)
            guard let candidate = try await finder.candidates(vacancyID: input.vacancyId, onlyWorker: input.workerId, limit: 1).first else {
                let reason = try await finder.whyNot(workerID: input.workerId, vacancyID: input.vacancyId) ?? "Người lao động không đủ điều kiện."
                throw AppError.conflict(reason, field: "worker_id")
            }
            let id = try await Self.insert(
                vacancyID: input.vacancyId,
                workerID: input.workerId,
                status: status,
                score: candidate.score,
                staffID: staffID,
                on: tx,
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: status == "proposed" ? "propose" : "refer",
                entity: "referral",
                entityID: id,
                after: ["vacancy_id": "\(input.vacancyId)", "worker_id": "\(input.workerId)"],
                logger: logger
            )
            if status == "referred" {
                try await WebhookRepository.enqueueReferralCreated(referralID: id, on: tx, logger: logger)
                try await MessageQueue.referralMade(id, queuedBy: staffID, on: tx, logger: logger)
            }
            return try await Self.view(id, on: tx, logger: logger)!
        }
    }

    /// The referral with its steps; 404 when there is none.
    func find(_ id: Int64, logger: Logger) async throws -> ReferralView {
        try await self.client.withConnection { connection in
            guard let view = try await Self.view(id, on: connection, logger: logger) else { throw AppError.notFound("lượt giới thiệu \(id)") }
            return view
        }
    }

    /// The referral with its steps and the referred worker's full name (the referral page); 404 when there is none.
    func findNamed(_ id: Int64, logger: Logger) async throws -> (referral: ReferralView, workerName: String) {
        try await self.client.withConnection { connection in
            guard let view = try await Self.view(id, on: connection, logger: logger) else { throw AppError.notFound("lượt giới thiệu \(id)") }
            let name = try await connection.query("SELECT full_name FROM workers WHERE id = \(view.workerId)", logger: logger).first(String.self)
            return (view, name ?? "")
        }
    }

    /// Proposed -> referred, once the worker is still eligible and consents; the score is taken
    /// again now, at referral time (the proposal's score stays in the step's note).
    func accept(_ id: Int64, actor: Principal?, logger: Logger) async throws -> ReferralView {
        try await self.step(id, logger: logger) { referral, tx in
            guard referral.status == "proposed" else {
                try await ReferralWorkflow.move(referral, to: "referred", actor: actor, on: tx, logger: logger)  // 409 with the allowed steps
                return
            }
            let open = try await tx.query("SELECT status = 'open' FROM vacancies WHERE id = \(referral.vacancyID) FOR UPDATE", logger: logger).first(
                Bool.self
            )
            guard open == true else { throw AppError.conflict("Vị trí tuyển dụng đã đóng; hãy bỏ đề xuất này.", field: "vacancy_id") }
            let finder = CandidateFinder(connection: tx, logger: logger)
            guard
                let candidate = try await finder.candidates(
                    vacancyID: referral.vacancyID,
                    onlyWorker: referral.workerID,
                    exceptReferral: referral.id,
                    limit: 1
                ).first
            else {
                let reason = try await finder.whyNot(workerID: referral.workerID, vacancyID: referral.vacancyID, exceptReferral: referral.id)
                throw AppError.conflict(reason ?? "Người lao động không còn đủ điều kiện.", field: "worker_id")
            }
            let proposed = try await tx.query("SELECT score FROM referrals WHERE id = \(referral.id)", logger: logger).first(Int.self) ?? 0
            try await ReferralWorkflow.move(referral, to: "referred", note: "Điểm khi đề xuất: \(proposed)", actor: actor, on: tx, logger: logger)
            let parts = Self.partsJSON(candidate.score)
            try await tx.query(
                "UPDATE referrals SET score = \(candidate.score.total), score_parts = \(parts)::jsonb WHERE id = \(referral.id)",
                logger: logger
            )
            try await WebhookRepository.enqueueReferralCreated(referralID: referral.id, on: tx, logger: logger)
            try await MessageQueue.referralMade(referral.id, queuedBy: actor?.staffID, on: tx, logger: logger)
        }
    }

    /// Withdraws the referral (or drops a proposal), with the reason.
    func withdraw(_ id: Int64, _ input: ReferralReason, actor: Principal?, logger: Logger) async throws -> ReferralView {
        let reason = try input.checked()
        return try await self.step(id, logger: logger) { referral, tx in
            try await ReferralWorkflow.move(referral, to: "withdrawn", note: reason, actor: actor, on: tx, logger: logger)
        }
    }

    /// Records the interview (a day not in the future) and its outcome.
    func interview(_ id: Int64, _ input: ReferralInterview, actor: Principal?, logger: Logger) async throws -> ReferralView {
        let day = try Input.date(input.interviewedOn, field: "interviewed_on", label: "Ngày phỏng vấn")
        guard day <= LocalDate.today() else { throw AppError.invalid(field: "interviewed_on", "Ngày phỏng vấn không thể ở tương lai.") }
        guard ["passed", "failed", "no_show"].contains(input.outcome) else {
            throw AppError.invalid(field: "outcome", "Kết quả phỏng vấn là 'passed' (đạt), 'failed' (không đạt) hoặc 'no_show' (không đến).")
        }
        let note = try CleanText.optional(input.note, field: "note", label: "Ghi chú", maxLength: 1000)
        return try await self.step(id, logger: logger) { referral, tx in
            try await ReferralWorkflow.interview(referral, on: day, outcome: input.outcome, note: note, actor: actor, on: tx, logger: logger)
        }
    }

    /// Records that the candidate was not taken, and why.
    func reject(_ id: Int64, _ input: ReferralReason, actor: Principal?, logger: Logger) async throws -> ReferralView {
        let reason = try input.checked()
        return try await self.step(id, logger: logger) { referral, tx in
            try await ReferralWorkflow.reject(referral, reason: reason, actor: actor, on: tx, logger: logger)
        }
    }

    /// Records the hire: a slot taken and the placement written.
    func hire(_ id: Int64, _ input: ReferralHire, actor: Principal?, logger: Logger) async throws -> ReferralView {
        let start = try ReferralWorkflow.startDate(input.startDate)
        if let wage = input.wageVnd, !(0...1_000_000_000).contains(wage) {
            throw AppError.invalid(field: "wage_vnd", "Mức lương phải từ 0 đến 1.000.000.000 đồng/tháng.")
        }
        let given = [input.contractType, input.contractEndDate].contains { !($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        let contract =
            given
            ? try ContractType.checked(type: input.contractType, endDate: input.contractEndDate, start: start, channel: .vacancyHire) : nil
        return try await self.step(id, logger: logger) { referral, tx in
            _ = try await ReferralWorkflow.hire(
                referral,
                start: start,
                wage: input.wageVnd,
                contract: contract,
                actor: actor,
                on: tx,
                logger: logger
            )
        }
    }

    /// Locks the referral, applies `change` in one transaction, and returns the referral as it is now.
    private func step(
        _ id: Int64,
        logger: Logger,
        _ change: (ReferralWorkflow.Locked, PostgresConnection) async throws -> Void
    ) async throws -> ReferralView {
        try await self.client.withTransaction(logger: logger) { tx in
            let referral = try await ReferralWorkflow.lock(id, employerID: nil, on: tx, logger: logger)
            try await change(referral, tx)
            return try await Self.view(id, on: tx, logger: logger)!
        }
    }

    /// Writes a referral with its score and its first step; returns its id.
    /// Without `staffID` the step is the system's (a batch run from the command line).
    static func insert(
        vacancyID: Int64,
        workerID: Int64,
        status: String,
        score: CandidateScore,
        staffID: Int64?,
        batchID: Int64? = nil,
        note: String? = nil,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws -> Int64 {
        let parts = Self.partsJSON(score)
        let id = try await tx.query(
            """
            INSERT INTO referrals (vacancy_id, worker_id, status, score, score_parts, created_by, batch_id)
            VALUES (\(vacancyID), \(workerID), \(status), \(score.total), \(parts)::jsonb, \(staffID), \(batchID))
            RETURNING id
            """,
            logger: logger
        ).first(Int64.self)!
        try await tx.query(
            """
            INSERT INTO referral_events (referral_id, from_status, to_status, actor_kind, actor_id, note)
            VALUES (\(id), NULL, \(status), \(staffID == nil ? "system" : "staff"), \(staffID), \(note))
            """,
            logger: logger
        )
        return id
    }

    /// A score's parts as the `score_parts` column keeps them.
    static func partsJSON(_ score: CandidateScore) -> String { ScorePart.json(score.parts) }

    /// The referral with its steps, or nil.
    static func view(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> ReferralView? {
        let rows = try await connection.query(
            """
            SELECT r.vacancy_id, r.worker_id, r.status, r.score, r.score_parts::text,
                   (SELECT p.id FROM live_placements() p WHERE p.referral_id = r.id)
            FROM referrals r WHERE r.id = \(id)
            """,
            logger: logger
        )
        guard
            let (vacancy, worker, status, score, partsJSON, placement) = try await rows.decode((Int64, Int64, String, Int, String, Int64?).self)
                .first(where: { _ in true })
        else { return nil }
        let parts = try JSONDecoder().decode([ScorePart].self, from: Data(partsJSON.utf8))
        var events: [ReferralView.Event] = []
        let eventRows = try await connection.query(
            """
            SELECT from_status, to_status, actor_kind, actor_id, note,
                   to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
            FROM referral_events WHERE referral_id = \(id) ORDER BY id
            """,
            logger: logger
        )
        for try await (from, to, kind, actor, note, at) in eventRows.decode((String?, String, String, Int64?, String?, String).self) {
            events.append(ReferralView.Event(fromStatus: from, toStatus: to, actorKind: kind, actorId: actor, note: note, at: at))
        }
        return ReferralView(
            id: id,
            vacancyId: vacancy,
            workerId: worker,
            status: status,
            score: score,
            scoreParts: parts,
            placementId: placement,
            events: events
        )
    }
}
