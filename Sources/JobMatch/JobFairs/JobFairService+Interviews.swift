import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension JobFairService {
    /// Records an interview at session `id` of attendance `attendanceID` (a worker who came) for
    /// `vacancyID` (a vacancy brought there); 409 when that interview is already recorded.
    func interview(_ id: Int64, attendanceID: Int64?, vacancyID: Int64?, actor: Principal, logger: Logger) async throws -> JobFairView.Interview {
        guard let attendanceID else { throw AppError.invalid(field: "attendance_id", "Hãy chọn người lao động đã vào phiên.") }
        guard let vacancyID else { throw AppError.invalid(field: "vacancy_id", "Hãy chọn vị trí việc làm của phiên.") }
        return try await self.client.withTransaction(logger: logger) { tx in
            _ = try await Self.lockOpen(id, on: tx, logger: logger)
            guard
                try await tx.query("SELECT 1 FROM job_fair_attendances WHERE id = \(attendanceID) AND job_fair_id = \(id)", logger: logger)
                    .first(Int.self) != nil
            else { throw AppError.invalid(field: "attendance_id", "Người lao động này chưa vào phiên \(id).") }
            guard
                try await tx.query("SELECT 1 FROM job_fair_vacancies WHERE vacancy_id = \(vacancyID) AND job_fair_id = \(id)", logger: logger)
                    .first(Int.self) != nil
            else { throw AppError.invalid(field: "vacancy_id", "Vị trí \(vacancyID) không có trong phiên \(id).") }
            guard
                let interview = try await tx.query(
                    """
                    INSERT INTO job_fair_interviews (job_fair_id, attendance_id, vacancy_id, stage, interviewed_by)
                    VALUES (\(id), \(attendanceID), \(vacancyID), 'interviewed', \(actor.staffID))
                    ON CONFLICT (attendance_id, vacancy_id, province_code) DO NOTHING RETURNING id
                    """,
                    logger: logger
                ).first(Int64.self)
            else { throw AppError.conflict("Buổi phỏng vấn này đã được ghi.", field: "vacancy_id") }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "interview",
                entity: "job_fair",
                entityID: id,
                after: ["interview_id": "\(interview)", "attendance_id": "\(attendanceID)", "vacancy_id": "\(vacancyID)"],
                logger: logger
            )
            return try await Self.interviews(where: "i.id = \(interview)", on: tx, logger: logger)[0]
        }
    }

    /// The employer offers the job: an interview becomes an offer.
    func offer(_ id: Int64, interview: Int64, actor: Principal, logger: Logger) async throws -> JobFairView.Interview {
        try await self.move(id, interview: interview, action: "offer", actor: actor, logger: logger) { tx in
            try await tx.query(
                "UPDATE job_fair_interviews SET stage = 'offered', offered_at = now(), offered_by = \(actor.staffID) WHERE id = \(interview)",
                logger: logger
            )
        }
    }

    /// The worker or the employer declines: the interview or offer ends without a hire.
    func decline(_ id: Int64, interview: Int64, actor: Principal, logger: Logger) async throws -> JobFairView.Interview {
        try await self.move(id, interview: interview, action: "decline", actor: actor, logger: logger) { tx in
            try await tx.query(
                "UPDATE job_fair_interviews SET stage = 'declined', decided_at = now(), decided_by = \(actor.staffID) WHERE id = \(interview)",
                logger: logger
            )
        }
    }

    /// The offer is taken: a placement in the `job_fair` channel naming the session, recorded by the
    /// placement service's own step (ledger, worker employed, audit), and a slot of the vacancy
    /// taken (`slots_filled < slots`, as a referral's hire); 409 when the vacancy has no slot left.
    func hire(_ id: Int64, interview: Int64, _ input: JobFairHireInput, actor: Principal, logger: Logger) async throws -> JobFairView.Interview {
        try await self.move(id, interview: interview, action: "hire", actor: actor, logger: logger) { tx in
            let (worker, vacancy, employer, occupation, day, title) = try await tx.query(
                """
                SELECT a.worker_id, v.id, v.employer_id, v.occupation_code, f.held_on::text, f.title
                FROM job_fair_interviews i JOIN job_fair_attendances a ON a.id = i.attendance_id
                JOIN vacancies v ON v.id = i.vacancy_id JOIN job_fairs f ON f.id = i.job_fair_id
                WHERE i.id = \(interview)
                """,
                logger: logger
            ).decode((Int64, Int64, Int64, String, String, String).self).first(where: { _ in true })!
            let fairDay = LocalDate(day)!
            let hire = try ValidJobFairHire(input, fairDay: fairDay)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(worker)
            guard try await VacancySlots.take(vacancy, on: tx, logger: logger) != nil else {
                throw AppError.conflict("Vị trí \(vacancy) đã tuyển đủ số người; không ghi thêm người được tuyển.")
            }
            let placement = try await PlacementService.record(
                PlacementLedger.Entry(
                    workerID: worker,
                    channel: .jobFair,
                    startDate: hire.start,
                    employerID: employer,
                    occupationCode: occupation,
                    wageVND: hire.wageVND,
                    evidence: String("Phiên giao dịch việc làm số \(id) ngày \(fairDay.vietnamese): \(title)".prefix(1000)),
                    contractType: hire.contract,
                    contractEndDate: hire.contractEnd,
                    jobFairID: id
                ),
                staffID: actor.staffID!,
                actor: actor,
                on: tx,
                logger: logger
            )
            try await tx.query(
                """
                UPDATE job_fair_interviews SET stage = 'hired', placement_id = \(placement), decided_at = now(), decided_by = \(actor.staffID)
                WHERE id = \(interview)
                """,
                logger: logger
            )
        }
    }

    /// Moves interview `interview` of session `id` on by `action` (`change`), with its audit entry;
    /// 404 when the session has no such interview, 409 when `next` does not allow `action` from its stage.
    private func move(
        _ id: Int64,
        interview: Int64,
        action: String,
        actor: Principal,
        logger: Logger,
        _ change: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async throws -> JobFairView.Interview {
        try await self.client.withTransaction(logger: logger) { tx in
            _ = try await Self.lockOpen(id, on: tx, logger: logger)
            guard
                let stage = try await tx.query(
                    "SELECT stage FROM job_fair_interviews WHERE id = \(interview) AND job_fair_id = \(id) FOR UPDATE",
                    logger: logger
                ).first(String.self)
            else { throw AppError.notFound("buổi phỏng vấn \(interview) của phiên \(id)") }
            guard Self.next[stage]?.contains(action) == true else {
                var error = AppError.conflict(
                    "Buổi phỏng vấn đang ở bước \"\(JobFairView.stageName(stage))\"; không chuyển sang bước này được.",
                    field: "stage"
                )
                error.allowed = Self.next[stage] ?? []
                throw error
            }
            try await change(tx)
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: action,
                entity: "job_fair",
                entityID: id,
                after: ["interview_id": "\(interview)", "from": stage],
                logger: logger
            )
            return try await Self.interviews(where: "i.id = \(interview)", on: tx, logger: logger)[0]
        }
    }

    /// The steps allowed from each stage: the one home of the interview's transitions.
    static let next: [String: [String]] = ["interviewed": ["offer", "decline"], "offered": ["hire", "decline"], "hired": [], "declined": []]
}
