import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Follow-up after placement (issue 22, section 3): who is due a call 3, 6 and 12 months after a
/// counted placement, the outcome staff record (audited; a worker who stopped may go back to
/// seeking work in the same step), and the retention rates those outcomes give.
struct FollowUpService: Sendable {
    let client: PostgresClient

    /// A call due: a counted job (not abroad) whose milestone has come, with no outcome for it yet.
    struct Due: ResponseCodable {
        let placementId: Int64
        let workerId: Int64
        let workerName: String
        let phone: String?
        let employer: String
        let channel: String
        let startDate: String
        let months: Int
        let dueOn: String
    }

    struct DueList: ResponseCodable {
        let followUps: [Due]
    }

    /// A recorded follow-up.
    struct Recorded: ResponseCodable {
        let id: Int64
        let placementId: Int64
        let months: Int
        let outcome: String
        let contactedOn: String
        let returnedToSeeking: Bool
    }

    /// Calls due on `today` (the milestone reached), oldest first, at most 500. Departures abroad
    /// are followed through their contracts, not here. Phone numbers only for those who call
    /// (`withPhones`), and that read is audited.
    func due(today: LocalDate, withPhones: Bool, actor: Principal?, logger: Logger) async throws -> [Due] {
        if withPhones {
            try await self.client.withTransaction(logger: logger) { tx in
                try await AuditLog.record(on: tx, actor: actor, action: "view", entity: "follow_ups", entityID: nil, logger: logger)
            }
        }
        let rows = try await self.client.query(
            Self.dueCalls(
                today,
                select: """
                    SELECT p.id, p.worker_id, w.full_name, w.phone, coalesce(e.name, ''), p.channel, p.start_date::text, m.months,
                           (p.start_date + make_interval(months => m.months))::date::text
                    """,
                after: "ORDER BY p.start_date + make_interval(months => m.months), p.id, m.months LIMIT 500"
            ),
            logger: logger
        )
        var due: [Due] = []
        for try await (id, worker, name, phone, employer, channel, start, months, on) in rows.decode(
            (Int64, Int64, String, String?, String, String, String, Int, String).self
        ) {
            due.append(
                Due(
                    placementId: id,
                    workerId: worker,
                    workerName: name,
                    phone: withPhones ? phone : phone.map(PersonalDataMask.phone),
                    employer: employer,
                    channel: channel,
                    startDate: start,
                    months: months,
                    dueOn: on
                )
            )
        }
        return due
    }

    /// How many calls are due on `today` (the dashboard's figure), by the same rule as `due`.
    func dueCount(today: LocalDate, logger: Logger) async throws -> Int64 {
        try await self.client.query(Self.dueCalls(today, select: "SELECT count(*)", after: ""), logger: logger).first(Int64.self) ?? 0
    }

    /// `select` over the calls due on `today`, then `after`: the one home of the rule of who is due.
    private static func dueCalls(_ today: LocalDate, select: String, after: String) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(today.description)
        return PostgresQuery(
            unsafeSQL: select + """

                FROM countable_placements(end_of_day($1::date)) p
                CROSS JOIN (VALUES (3), (6), (12)) m (months)
                JOIN workers w ON w.id = p.worker_id
                LEFT JOIN employers e ON e.id = p.employer_id
                WHERE p.channel <> 'overseas_departure' AND w.anonymised_at IS NULL
                  AND p.start_date + make_interval(months => m.months) <= $1::date
                  AND NOT EXISTS (SELECT 1 FROM placement_follow_ups f WHERE f.placement_id = p.id AND f.months = m.months)

                """ + after,
            binds: binds
        )
    }

    /// Records a follow-up of placement `id`. Refused: a placement unknown (404), reversed, abroad
    /// or a reversal (409), a milestone not reached by the call's day or already recorded (409).
    func record(_ id: Int64, _ followUp: ValidFollowUp, staffID: Int64, actor: Principal?, logger: Logger) async throws -> Recorded {
        try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (worker, start, channel, reversal, reversed) = try await tx.query(
                    """
                    SELECT worker_id, start_date::text, channel, reverses_id IS NOT NULL,
                           EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
                    FROM placements p WHERE p.id = \(id) FOR SHARE
                    """,
                    logger: logger
                ).decode((Int64, String, String, Bool, Bool).self).first(where: { _ in true })
            else { throw AppError.notFound("bản ghi việc làm \(id)") }
            if reversal || reversed { throw AppError.conflict("Bản ghi \(id) đã bị hủy hoặc là bút toán hủy; không theo dõi.") }
            if channel == "overseas_departure" {
                throw AppError.conflict("Người đi làm việc ở nước ngoài được theo dõi qua hợp đồng, không ở đây.")
            }
            guard let startDate = LocalDate(start), followUp.contactedOn >= startDate else {
                throw AppError.invalid(
                    field: "contacted_on",
                    "Ngày liên hệ không thể trước ngày bắt đầu làm việc (\(LocalDate(start)?.vietnamese ?? start))."
                )
            }
            guard
                let recordedID = try await tx.query(
                    """
                    INSERT INTO placement_follow_ups (placement_id, months, outcome, contacted_on, note, recorded_by)
                    VALUES (\(id), \(followUp.months), \(followUp.outcome.rawValue), \(followUp.contactedOn.description)::date, \(followUp.note),
                            \(staffID))
                    ON CONFLICT (placement_id, months, province_code) DO NOTHING
                    RETURNING id
                    """,
                    logger: logger
                ).first(Int64.self)
            else { throw AppError.conflict("Mốc \(followUp.months) tháng của bản ghi \(id) đã được ghi kết quả theo dõi.") }
            if followUp.returnToSeeking {
                try await tx.query(
                    "UPDATE workers SET job_seeking_status = 'seeking' WHERE id = \(worker) AND job_seeking_status <> 'seeking'",
                    logger: logger
                )
            }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "follow_up",
                entity: "placement",
                entityID: id,
                after: [
                    "months": "\(followUp.months)", "outcome": followUp.outcome.rawValue, "contacted_on": followUp.contactedOn.description,
                    "returned_to_seeking": "\(followUp.returnToSeeking)",
                ],
                logger: logger
            )
            return Recorded(
                id: recordedID,
                placementId: id,
                months: followUp.months,
                outcome: followUp.outcome.rawValue,
                contactedOn: followUp.contactedOn.description,
                returnedToSeeking: followUp.returnToSeeking
            )
        }
    }
}
