import Logging
import PostgresNIO

/// A vacancy's filled slots, kept equal to its live hires: a hire (from a referral or at a job
/// fair) takes one, reversing that hire's placement gives it back. The one home of both statements.
enum VacancySlots {
    /// Takes a slot of vacancy `id` inside the caller's transaction; returns its occupation code,
    /// or nil when every slot is already filled.
    static func take(_ id: Int64, on tx: PostgresConnection, logger: Logger) async throws -> String? {
        try await tx.query(
            """
            UPDATE vacancies SET slots_filled = slots_filled + 1, updated_at = now()
            WHERE id = \(id) AND slots_filled < slots RETURNING occupation_code
            """,
            logger: logger
        ).first(String.self)
    }

    /// Gives back the slot that placement `placementID` took, if it was a hire (through its referral,
    /// or its interview at a job fair); other placements took none.
    static func giveBack(placement placementID: Int64, on tx: PostgresConnection, logger: Logger) async throws {
        try await tx.query(
            """
            UPDATE vacancies v SET slots_filled = v.slots_filled - 1, updated_at = now()
            WHERE v.slots_filled > 0 AND v.id = (
                SELECT coalesce(r.vacancy_id, i.vacancy_id)
                FROM placements p
                LEFT JOIN referrals r ON r.id = p.referral_id AND p.channel = 'vacancy_hire'
                LEFT JOIN job_fair_interviews i ON i.placement_id = p.id
                WHERE p.id = \(placementID))
            """,
            logger: logger
        )
    }
}
