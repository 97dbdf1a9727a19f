import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Job-fair sessions (issue 22, section 1): a session with its day, place and kind, the employers
/// taking part and the vacancies they bring, who came, and the interviews, offers and hires made
/// there (`+CheckIn`, `+Interviews`, `+Report`, `+Announce`). Every write is one transaction with
/// its audit entry; the schema (`sql/0039_job_fairs.sql`) guards each rule again.
struct JobFairService: Sendable {
    let client: PostgresClient

    /// Creates a session; returns it.
    func create(_ fair: ValidJobFair, staffID: Int64, actor: Principal?, logger: Logger) async throws -> JobFairView.Summary {
        try await self.client.withTransaction(logger: logger) { tx in
            try await ReferenceCheck(connection: tx, logger: logger).wards(fair.wardCode, legacy: nil)
            let id = try await tx.query(
                """
                INSERT INTO job_fairs (title, held_on, place, ward_code, kind, created_by)
                VALUES (\(fair.title), \(fair.heldOn.description)::date, \(fair.place), \(fair.wardCode), \(fair.kind.rawValue), \(staffID))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "job_fair",
                entityID: id,
                after: ["title": fair.title, "held_on": fair.heldOn.description, "ward_code": fair.wardCode, "kind": fair.kind.rawValue],
                logger: logger
            )
            return try await Self.summaries(where: "f.id = \(id)", on: tx, logger: logger)[0]
        }
    }

    /// The latest 200 sessions, newest day first.
    func list(logger: Logger) async throws -> [JobFairView.Summary] {
        try await self.client.withConnection { connection in
            try await Self.summaries(where: "true", on: connection, logger: logger)
        }
    }

    /// The next 20 sessions from today on that are not cancelled, soonest first, each with its
    /// employers' names (the public board): two queries, whatever the number of sessions.
    func upcoming(logger: Logger) async throws -> [(summary: JobFairView.Summary, employers: [String])] {
        try await self.client.withConnection { connection in
            let fairs = try await Self.summaries(
                where: "f.cancelled_at IS NULL AND f.held_on >= \(LocalDate.today().description)::date",
                order: "f.held_on, f.id",
                limit: 20,
                on: connection,
                logger: logger
            )
            var names: [Int64: [String]] = [:]
            let rows = try await connection.query(
                """
                SELECT fe.job_fair_id, array_agg(e.name ORDER BY e.name)
                FROM job_fair_employers fe JOIN employers e ON e.id = fe.employer_id
                WHERE fe.job_fair_id = ANY(\(fairs.map(\.id))) GROUP BY fe.job_fair_id
                """,
                logger: logger
            )
            for try await (id, list) in rows.decode((Int64, [String]).self) { names[id] = list }
            return fairs.map { ($0, names[$0.id] ?? []) }
        }
    }

    /// Session `id` with its participants, who came and the interviews; 404 when there is none.
    func detail(_ id: Int64, logger: Logger) async throws -> JobFairView.Detail {
        try await self.client.withConnection { connection in
            try await Self.detail(id, on: connection, logger: logger)
        }
    }

    /// Cancels a planned session (nothing more may be added to it); 409 when already cancelled.
    func cancel(_ id: Int64, actor: Principal?, logger: Logger) async throws -> JobFairView.Summary {
        try await self.client.withTransaction(logger: logger) { tx in
            _ = try await Self.lockOpen(id, forUpdate: true, on: tx, logger: logger)
            try await tx.query("UPDATE job_fairs SET cancelled_at = now() WHERE id = \(id)", logger: logger)
            try await AuditLog.record(on: tx, actor: actor, action: "cancel", entity: "job_fair", entityID: id, logger: logger)
            return try await Self.summaries(where: "f.id = \(id)", on: tx, logger: logger)[0]
        }
    }

    /// Adds employer `employerID` to session `id`; 409 when it already takes part.
    func addEmployer(_ id: Int64, employerID: Int64?, staffID: Int64, actor: Principal?, logger: Logger) async throws {
        guard let employerID else { throw AppError.invalid(field: "employer_id", "Hãy chọn doanh nghiệp tham gia phiên.") }
        try await self.client.withTransaction(logger: logger) { tx in
            _ = try await Self.lockOpen(id, on: tx, logger: logger)
            try await ReferenceCheck(connection: tx, logger: logger).record(.employers, id: employerID, field: "employer_id", label: "doanh nghiệp")
            let added = try await tx.query(
                """
                INSERT INTO job_fair_employers (job_fair_id, employer_id, added_by) VALUES (\(id), \(employerID), \(staffID))
                ON CONFLICT DO NOTHING RETURNING employer_id
                """,
                logger: logger
            ).first(Int64.self)
            guard added != nil else { throw AppError.conflict("Doanh nghiệp mã \(employerID) đã tham gia phiên này.", field: "employer_id") }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "add_employer",
                entity: "job_fair",
                entityID: id,
                after: ["employer_id": "\(employerID)"],
                logger: logger
            )
        }
    }

    /// Adds vacancy `vacancyID` to session `id`: an open vacancy of an employer that takes part.
    func addVacancy(_ id: Int64, vacancyID: Int64?, staffID: Int64, actor: Principal?, logger: Logger) async throws {
        guard let vacancyID else { throw AppError.invalid(field: "vacancy_id", "Hãy nhập mã vị trí việc làm trống.") }
        try await self.client.withTransaction(logger: logger) { tx in
            _ = try await Self.lockOpen(id, on: tx, logger: logger)
            guard
                let (employer, open, taking) = try await tx.query(
                    """
                    SELECT v.employer_id, v.status = 'open',
                           EXISTS (SELECT 1 FROM job_fair_employers fe WHERE fe.job_fair_id = \(id) AND fe.employer_id = v.employer_id)
                    FROM vacancies v WHERE v.id = \(vacancyID)
                    """,
                    logger: logger
                ).decode((Int64, Bool, Bool).self).first(where: { _ in true })
            else { throw AppError.invalid(field: "vacancy_id", "Không tìm thấy vị trí việc làm trống có mã \(vacancyID).") }
            guard taking else {
                throw AppError.invalid(field: "vacancy_id", "Doanh nghiệp của vị trí \(vacancyID) chưa tham gia phiên: thêm doanh nghiệp trước.")
            }
            guard open else { throw AppError.invalid(field: "vacancy_id", "Vị trí \(vacancyID) đã đóng, không đưa vào phiên được.") }
            let added = try await tx.query(
                """
                INSERT INTO job_fair_vacancies (job_fair_id, vacancy_id, employer_id, added_by) VALUES (\(id), \(vacancyID), \(employer), \(staffID))
                ON CONFLICT DO NOTHING RETURNING vacancy_id
                """,
                logger: logger
            ).first(Int64.self)
            guard added != nil else { throw AppError.conflict("Vị trí \(vacancyID) đã có trong phiên này.", field: "vacancy_id") }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "add_vacancy",
                entity: "job_fair",
                entityID: id,
                after: ["vacancy_id": "\(vacancyID)"],
                logger: logger
            )
        }
    }

    /// Locks session `id` (`FOR SHARE`, or `FOR UPDATE` to change the session itself) and returns its
    /// day; 404 when there is none, 409 when it was cancelled.
    static func lockOpen(_ id: Int64, forUpdate: Bool = false, on tx: PostgresConnection, logger: Logger) async throws -> LocalDate {
        let lock = forUpdate ? "FOR UPDATE" : "FOR SHARE"
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await tx.query(
            PostgresQuery(unsafeSQL: "SELECT held_on::text, cancelled_at IS NOT NULL FROM job_fairs WHERE id = $1 \(lock)", binds: binds),
            logger: logger
        )
        guard let (day, cancelled) = try await rows.decode((String, Bool).self).first(where: { _ in true }) else {
            throw AppError.notFound("phiên giao dịch việc làm \(id)")
        }
        if cancelled { throw AppError.conflict("Phiên giao dịch việc làm này đã bị hủy; không ghi thêm được.") }
        return LocalDate(day)!
    }

    /// Sessions matching `condition` (on `f`, the job_fairs row), at most `limit`.
    static func summaries(
        where condition: PostgresQuery,
        order: String = "f.held_on DESC, f.id DESC",
        limit: Int = 200,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [JobFairView.Summary] {
        var sql = PostgresQuery(
            unsafeSQL: """
                SELECT f.id, f.title, f.held_on::text, f.place, f.ward_code, w.ward_name || ', ' || w.province_name, f.kind,
                       CASE WHEN f.cancelled_at IS NOT NULL THEN 'cancelled'
                            WHEN f.held_on <= (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date THEN 'held' ELSE 'planned' END,
                       (SELECT count(*) FROM job_fair_employers fe WHERE fe.job_fair_id = f.id),
                       (SELECT count(*) FROM job_fair_attendances a WHERE a.job_fair_id = f.id),
                       to_char(f.announced_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
                FROM job_fairs f JOIN wards_2025 w ON w.ward_code = f.ward_code WHERE
                """
        )
        sql.sql += " " + condition.sql + " ORDER BY " + order + " LIMIT \(limit)"
        sql.binds = condition.binds
        var fairs: [JobFairView.Summary] = []
        let rows = try await connection.query(sql, logger: logger)
        for try await (id, title, day, place, ward, wardName, kind, state, employers, attendees, announced) in rows.decode(
            (Int64, String, String, String, String, String, String, String, Int64, Int64, String?).self
        ) {
            fairs.append(
                JobFairView.Summary(
                    id: id,
                    title: title,
                    heldOn: day,
                    place: place,
                    wardCode: ward,
                    wardName: wardName,
                    kind: kind,
                    kindName: JobFairKind(rawValue: kind)?.vietnamese ?? kind,
                    state: state,
                    stateName: JobFairView.stateName(state),
                    employers: employers,
                    attendees: attendees,
                    announcedAt: announced
                )
            )
        }
        return fairs
    }
}
