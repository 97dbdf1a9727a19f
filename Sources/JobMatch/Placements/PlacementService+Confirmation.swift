import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Hires employers recorded through the API wait for staff to confirm them (the hire, or that the
/// worker started) before they count toward the plan (docs/counting.md, rule 9).
extension PlacementService {
    /// A hire awaiting confirmation, as the placements page and `GET /placements/awaiting-confirmation` list it.
    struct AwaitingHire: ResponseCodable {
        let id: Int64
        let workerId: Int64
        let workerName: String
        let employer: String
        let startDate: String
        let recordedAt: String
    }

    /// The list of hires awaiting confirmation (`GET /placements/awaiting-confirmation`).
    struct AwaitingList: ResponseCodable {
        let placements: [AwaitingHire]
    }

    /// What staff write when confirming: how they checked (a call to the worker, a contract seen).
    struct Confirmation: Decodable, Sendable {
        var note: String?
    }

    /// Confirms an employer's hire: from now on it counts. Refused (409) for an entry that needs no
    /// confirmation, is already confirmed, or was reversed.
    func confirm(_ id: Int64, _ input: Confirmation, staffID: Int64, actor: Principal?, logger: Logger) async throws -> Entry {
        let note = try CleanText.optional(input.note, field: "note", label: "Ghi chú xác nhận", maxLength: 1000)
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (required, confirmed, reversed) = try await tx.query(
                    """
                    SELECT confirmation_required, confirmed_at IS NOT NULL, EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
                    FROM placements p WHERE p.id = \(id) FOR UPDATE
                    """,
                    logger: logger
                ).decode((Bool, Bool, Bool).self).first(where: { _ in true })
            else { throw AppError.notFound("bản ghi việc làm \(id)") }
            if !required { throw AppError.conflict("Bản ghi \(id) không cần xác nhận: cán bộ đã ghi nhận kèm minh chứng.") }
            if confirmed { throw AppError.conflict("Bản ghi \(id) đã được xác nhận trước đó.") }
            if reversed { throw AppError.conflict("Bản ghi \(id) đã bị hủy; không thể xác nhận.") }
            try await tx.query(
                "UPDATE placements SET confirmed_at = now(), confirmed_by = \(staffID), confirmation_note = \(note) WHERE id = \(id)",
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "confirm",
                entity: "placement",
                entityID: id,
                after: ["confirmed": "true"],
                logger: logger
            )
            return try await Self.entries(where: "p.id = \(id)", on: tx, logger: logger)[0]
        }
    }

    /// Hires awaiting confirmation and not reversed, oldest first (at most 500).
    func awaitingConfirmation(logger: Logger) async throws -> [AwaitingHire] {
        let rows = try await self.client.query(
            """
            SELECT p.id, p.worker_id, w.full_name, coalesce(e.name, ''), p.start_date::text,
                   to_char(p.recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
            FROM placements p JOIN workers w ON w.id = p.worker_id LEFT JOIN employers e ON e.id = p.employer_id
            WHERE p.confirmation_required AND p.confirmed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = p.id)
            ORDER BY p.recorded_at, p.id LIMIT 500
            """,
            logger: logger
        )
        var hires: [AwaitingHire] = []
        for try await (id, worker, name, employer, start, recorded) in rows.decode((Int64, Int64, String, String, String, String).self) {
            hires.append(AwaitingHire(id: id, workerId: worker, workerName: name, employer: employer, startDate: start, recordedAt: recorded))
        }
        return hires
    }
}
