import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension JobFairService {
    /// Checks a worker in at session `id`: found by CCCD (an audited read of a person's record), by
    /// the code on a current referral letter (the letter's worker), or registered on the spot by the
    /// usual rules; all in one transaction with its audit entry. Refused: an unknown CCCD or code, a
    /// letter no longer current (422 at the field), a worker already checked in or a cancelled
    /// session (409).
    func checkIn(_ id: Int64, _ checkIn: JobFairCheckIn, actor: Principal, logger: Logger) async throws -> JobFairView.Attendance {
        let means = try checkIn.means()
        return try await self.client.withTransaction(logger: logger) { tx in
            _ = try await Self.lockOpen(id, on: tx, logger: logger)
            let worker: Int64
            var referral: Int64? = nil
            switch means {
            case .cccd(let cccd):
                guard let found = try await WorkerService.worker(withCCCD: cccd, on: tx, logger: logger) else {
                    throw AppError.invalid(
                        field: "cccd",
                        "Không tìm thấy người lao động có số CCCD này. Người chưa đăng ký thì đăng ký tại chỗ."
                    )
                }
                worker = found
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "view",
                    entity: "worker",
                    entityID: found,
                    after: ["by": "cccd", "job_fair_id": "\(id)"],
                    logger: logger
                )
            case .letter(let code):
                guard
                    let (referralID, workerID, current) = try await tx.query(
                        """
                        SELECT r.id, r.worker_id, \(unescaped: ReferralLetterService.current)
                        FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN workers w ON w.id = r.worker_id
                        WHERE r.letter_code = \(code.value)
                        """,
                        logger: logger
                    ).decode((Int64, Int64, Bool).self).first(where: { _ in true })
                else {
                    throw AppError.invalid(field: "letter_code", "Không có giấy giới thiệu nào mang mã \(code.grouped).")
                }
                guard current else {
                    throw AppError.invalid(
                        field: "letter_code",
                        "Giấy giới thiệu mã \(code.grouped) không còn hiệu lực (lượt giới thiệu đã kết thúc hoặc vị trí đã đóng). Hãy vào phiên bằng số CCCD."
                    )
                }
                worker = workerID
                referral = referralID
            case .walkIn(let input):
                worker = try await WorkerService.register(input, by: actor, on: tx, logger: logger)
            }
            // A record merged into another, or anonymised, does not come to a fair.
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(worker, field: means.field)
            guard
                let attendance = try await tx.query(
                    """
                    INSERT INTO job_fair_attendances (job_fair_id, worker_id, means, referral_id, checked_in_by)
                    VALUES (\(id), \(worker), \(means.stored), \(referral), \(actor.staffID))
                    ON CONFLICT (job_fair_id, worker_id, province_code) DO NOTHING
                    RETURNING id
                    """,
                    logger: logger
                ).first(Int64.self)
            else {
                let at =
                    try await tx.query(
                        """
                        SELECT to_char(checked_in_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'HH24:MI DD/MM/YYYY')
                        FROM job_fair_attendances WHERE job_fair_id = \(id) AND worker_id = \(worker)
                        """,
                        logger: logger
                    ).first(String.self) ?? ""
                throw AppError.conflict("Người lao động mã \(worker) đã vào phiên này lúc \(at).", field: means.field)
            }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "check_in",
                entity: "job_fair",
                entityID: id,
                after: ["worker_id": "\(worker)", "means": means.stored, "referral_id": referral.map { "\($0)" } ?? ""],
                logger: logger
            )
            let detail = try await Self.detail(id, on: tx, logger: logger)
            return detail.attendances.first { $0.id == attendance }!
        }
    }
}

extension JobFairCheckIn.Means {
    /// The form field an error about this check-in belongs to.
    var field: String {
        switch self {
        case .cccd: "cccd"
        case .letter: "letter_code"
        case .walkIn: "full_name"
        }
    }
}
