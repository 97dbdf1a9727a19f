import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// The steps of a referral, for staff and employers alike: proposed -> referred -> interviewed ->
/// hired | rejected | withdrawn. A step that is not allowed from the current status is a 409 that
/// lists the allowed ones; every step records who took it and when.
enum ReferralWorkflow {
    /// Statuses a referral may move to from each status.
    static let allowed: [String: [String]] = [
        "proposed": ["referred", "withdrawn"],
        "referred": ["interviewed", "hired", "rejected", "withdrawn"],
        "interviewed": ["hired", "rejected", "withdrawn"],
        "hired": [], "rejected": [], "withdrawn": [],
    ]

    /// A locked referral with what the steps need.
    struct Locked {
        let id: Int64
        let status: String
        let vacancyID: Int64
        let workerID: Int64
        let employerID: Int64
    }

    /// Locks referral `id`; with `employerID`, a referral to another employer's vacancy is not found.
    static func lock(_ id: Int64, employerID: Int64?, on tx: PostgresConnection, logger: Logger) async throws -> Locked {
        let rows = try await tx.query(
            """
            SELECT r.status, r.vacancy_id, r.worker_id, v.employer_id FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id
            WHERE r.id = \(id) AND (\(employerID)::bigint IS NULL OR (v.employer_id = \(employerID)::bigint AND r.status <> 'proposed'))
            FOR UPDATE OF r
            """,
            logger: logger
        )
        guard let (status, vacancyID, workerID, owner) = try await rows.decode((String, Int64, Int64, Int64).self).first(where: { _ in true }) else {
            throw AppError.notFound("lượt giới thiệu \(id)")
        }
        return Locked(id: id, status: status, vacancyID: vacancyID, workerID: workerID, employerID: owner)
    }

    /// Moves `referral` to `status` (409 with the allowed steps if it may not) and records the step.
    static func move(
        _ referral: Locked,
        to status: String,
        note: String? = nil,
        actor: Principal?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws {
        let next = Self.allowed[referral.status] ?? []
        guard next.contains(status) else {
            var error = AppError.conflict(
                next.isEmpty
                    ? "Lượt giới thiệu đang ở trạng thái '\(referral.status)'; không thể chuyển sang '\(status)'. Lượt giới thiệu đã kết thúc."
                    : "Lượt giới thiệu đang ở trạng thái '\(referral.status)'; không thể chuyển sang '\(status)'. Có thể chuyển sang: \(next.joined(separator: ", "))."
            )
            error.allowed = next
            throw error
        }
        try await tx.query("UPDATE referrals SET status = \(status), updated_at = now() WHERE id = \(referral.id)", logger: logger)
        let kind = actor?.actor.kind ?? "system"
        try await tx.query(
            """
            INSERT INTO referral_events (referral_id, from_status, to_status, actor_kind, actor_id, note)
            VALUES (\(referral.id), \(referral.status), \(status), \(kind), \(actor?.actor.id), \(note))
            """,
            logger: logger
        )
        try await AuditLog.record(
            on: tx,
            actor: actor,
            action: status,
            entity: "referral",
            entityID: referral.id,
            before: ["status": referral.status],
            after: ["status": status],
            logger: logger
        )
    }

    /// Records the interview and its outcome, and tells the worker (a message, when they consented).
    static func interview(
        _ referral: Locked,
        on day: LocalDate,
        outcome: String,
        note: String?,
        actor: Principal?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws {
        try await Self.move(referral, to: "interviewed", note: note, actor: actor, on: tx, logger: logger)
        try await tx.query(
            "UPDATE referrals SET interviewed_on = \(day.description)::date, interview_outcome = \(outcome), interview_note = \(note) WHERE id = \(referral.id)",
            logger: logger
        )
        try await MessageQueue.interviewRecorded(referral.id, on: day, outcome: outcome, queuedBy: actor?.staffID, on: tx, logger: logger)
    }

    /// Records that the candidate was not taken, and why.
    static func reject(_ referral: Locked, reason: String, actor: Principal?, on tx: PostgresConnection, logger: Logger) async throws {
        try await Self.move(referral, to: "rejected", note: reason, actor: actor, on: tx, logger: logger)
        try await tx.query("UPDATE referrals SET rejection_reason = \(reason) WHERE id = \(referral.id)", logger: logger)
    }

    /// Records the hire: takes a slot only if one is left (two hires for the last slot cannot
    /// both succeed), marks the worker employed and writes the placement; returns its id.
    static func hire(
        _ referral: Locked,
        start: LocalDate,
        wage: Int64?,
        contract: (type: ContractType, endDate: LocalDate?)? = nil,
        actor: Principal?,
        on tx: PostgresConnection,
        logger: Logger
    ) async throws -> Int64 {
        guard let occupation = try await VacancySlots.take(referral.vacancyID, on: tx, logger: logger) else {
            throw AppError.conflict("Vị trí tuyển dụng đã đủ số lượng cần tuyển.")
        }
        try await Self.move(referral, to: "hired", actor: actor, on: tx, logger: logger)
        try await tx.query("UPDATE workers SET job_seeking_status = 'employed' WHERE id = \(referral.workerID)", logger: logger)
        let placementID = try await PlacementLedger.record(
            PlacementLedger.Entry(
                workerID: referral.workerID,
                channel: .vacancyHire,
                startDate: start,
                referralID: referral.id,
                employerID: referral.employerID,
                occupationCode: occupation,
                wageVND: wage,
                contractType: contract?.type,
                contractEndDate: contract?.endDate,
                // An employer's word alone does not count toward the plan: staff confirm it first.
                awaitsConfirmation: actor?.isEmployer == true
            ),
            by: actor?.staffID,
            on: tx,
            logger: logger
        )
        return placementID
    }

    /// A hire's start date: not before the referral, and at most a year ahead.
    static func startDate(_ text: String, field: String = "start_date") throws -> LocalDate {
        let start = try Input.date(text, field: field, label: "Ngày bắt đầu làm việc")
        guard start <= LocalDate.today().adding(days: 366) else {
            throw AppError.invalid(field: field, "Ngày bắt đầu làm việc không thể xa hơn một năm tới.")
        }
        return start
    }
}
