import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// A person's rights over their data (Law 91/2025): a copy of everything held about them (an
/// audited read), and anonymisation when the data is no longer needed, keeping the counts already
/// reported. Who may do either is the caller's check.
struct PersonalDataService: Sendable {
    let client: PostgresClient

    /// Everything held about the worker; 404 when there is none.
    func copy(of id: Int64, by actor: Principal, logger: Logger) async throws -> PersonalDataCopy {
        try await self.client.withTransaction(logger: logger) { tx in
            let worker = try await Self.rows("SELECT * FROM workers WHERE id = \(id)", on: tx, logger: logger)
            guard let person = worker.first else { throw AppError.notFound("người lao động \(id)") }
            let occupations = try await tx.query(
                "SELECT occupation_code FROM worker_occupations WHERE worker_id = \(id) ORDER BY 1",
                logger: logger
            ).decode(String.self).reduce(into: []) { $0.append($1) }
            let copy = PersonalDataCopy(
                worker: person.filter { !["search_name", "given_name"].contains($0.key) },
                occupations: occupations,
                consents: try await Self.rows(
                    "SELECT purpose, means, given_at, withdrawn_at FROM worker_consents WHERE worker_id = \(id) ORDER BY id",
                    on: tx,
                    logger: logger
                ),
                enrolments: try await Self.rows(
                    "SELECT c.title, e.status, e.certificate_number, e.completed_on FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.worker_id = \(id) ORDER BY e.id",
                    on: tx,
                    logger: logger
                ),
                referrals: try await Self.rows(
                    "SELECT r.vacancy_id, v.title, r.status, r.score, r.created_at FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id WHERE r.worker_id = \(id) ORDER BY r.id",
                    on: tx,
                    logger: logger
                ),
                placements: try await Self.rows(
                    "SELECT channel, start_date, destination_country, wage_vnd, reverses_id FROM placements WHERE worker_id = \(id) ORDER BY id",
                    on: tx,
                    logger: logger
                ),
                overseasContracts: try await Self.rows(
                    "SELECT country, occupation_code, term_months, planned_departure, departure_date, early_return_date FROM overseas_contracts WHERE worker_id = \(id) ORDER BY id",
                    on: tx,
                    logger: logger
                ),
                messages: try await Self.rows(
                    "SELECT kind, body, phone, state, created_at, sent_at FROM worker_messages WHERE worker_id = \(id) ORDER BY id",
                    on: tx,
                    logger: logger
                )
            )
            try await AuditLog.record(on: tx, actor: actor, action: "export_personal_data", entity: "worker", entityID: id, logger: logger)
            return copy
        }
    }

    /// Replaces identifying data with placeholders, withdraws consents and masks the audit images;
    /// placements and their counts stay as reported. Refused while a referral is under way, and twice.
    func anonymise(_ id: Int64, reason: String?, by actor: Principal, logger: Logger) async throws {
        let reason = try CleanText.required(reason, field: "reason", label: "Căn cứ ẩn danh hóa", maxLength: 500)
        try await self.client.withTransaction(logger: logger) { tx in
            guard
                let anonymised = try await tx.query(
                    "SELECT anonymised_at IS NOT NULL FROM workers WHERE id = \(id) FOR UPDATE",
                    logger: logger
                ).first(Bool.self)
            else { throw AppError.notFound("người lao động \(id)") }
            if anonymised { throw AppError.conflict("Hồ sơ đã được ẩn danh hóa trước đó.") }
            if try await ReferenceCheck(connection: tx, logger: logger).exists(
                "SELECT 1 FROM referrals WHERE worker_id = \(id) AND status IN ('proposed', 'referred', 'interviewed')"
            ) {
                throw AppError.conflict("Người lao động đang trong quá trình giới thiệu việc làm; hãy kết thúc các lượt giới thiệu trước.")
            }
            // Birth year, sex, ward and household stay: the reports already sent count by them.
            try await tx.query(
                """
                UPDATE workers SET full_name = 'Đã ẩn danh ' || id, cccd = NULL, cmnd = NULL, phone = NULL, ethnicity = NULL,
                       birth_date = make_date(date_part('year', birth_date)::int, 1, 1), disability_type = NULL,
                       disability_severity = NULL, major = NULL, current_job = NULL, job_seeking_status = 'not_seeking',
                       anonymised_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            try await tx.query("UPDATE worker_consents SET withdrawn_at = now() WHERE worker_id = \(id) AND withdrawn_at IS NULL", logger: logger)
            try await tx.query("DELETE FROM worker_preferred_areas WHERE worker_id = \(id)", logger: logger)
            try await tx.query("DELETE FROM ethnicity_unmapped WHERE worker_id = \(id)", logger: logger)
            // The audit images of the person's creation and edits would otherwise keep what was just
            // removed: masked by the one function the append-only trigger lets change them.
            let masked = try await tx.query("SELECT audit_log_redact_worker(\(id))", logger: logger).first(Int.self) ?? 0
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "anonymise",
                entity: "worker",
                entityID: id,
                after: ["reason": reason, "audit_entries_masked": "\(masked)"],
                logger: logger
            )
        }
    }

    /// Rows of a fixed query as text maps (every column cast to text), for the copy.
    static func rows(_ query: PostgresQuery, on tx: PostgresConnection, logger: Logger) async throws -> [[String: String?]] {
        let wrapped = PostgresQuery(unsafeSQL: "SELECT row_to_json(t)::text FROM (\(query.sql)) t", binds: query.binds)
        var result: [[String: String?]] = []
        for try await json in try await tx.query(wrapped, logger: logger).decode(String.self) {
            let object = (try JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
            result.append(object.mapValues { value -> String? in value is NSNull ? nil : "\(value)" })
        }
        return result
    }
}
