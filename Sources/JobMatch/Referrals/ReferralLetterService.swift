import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// The referral letter: for staff, the letter of a referral, its printing recorded in the audit log;
/// for anyone holding a letter, what the letter with a given code says and whether it is current.
/// The code is the referral's own (`referrals.letter_code`, drawn by the database when the worker is
/// referred; a proposal has none; see `sql/0037_referral_letters.sql`).
struct ReferralLetterService: Sendable {
    let client: PostgresClient

    /// Referral `id`'s letter for the staff caller, with an audit entry (`action` says how it was
    /// read: printed from the web app or fetched by the API). 404 when there is no such referral;
    /// 409 for a proposal (nobody has been referred, so there is no letter).
    func letter(_ id: Int64, action: String, actor: Principal?, logger: Logger) async throws -> ReferralLetter {
        try await self.client.withTransaction(logger: logger) { tx in
            guard let found = try await Self.read(id: id, code: nil, printer: actor?.staffID, on: tx, logger: logger) else {
                throw AppError.notFound("lượt giới thiệu \(id)")
            }
            guard let letter = found else {
                throw AppError.conflict(
                    "Lượt này mới là đề xuất, chưa giới thiệu người lao động: duyệt đề xuất rồi mới in được giấy giới thiệu.",
                    field: "status"
                )
            }
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: action,
                entity: "referral",
                entityID: id,
                after: ["letter_code": letter.code.value, "current": letter.current ? "true" : "false"],
                logger: logger
            )
            return letter
        }
    }

    /// When a letter is current (on `r` the referral, `v` its vacancy, `w` its worker): the referral
    /// still running, the vacancy open, the worker's record not anonymised. The letter check and a
    /// job fair's check-in by letter both ask this.
    static let current = "r.status IN ('referred', 'interviewed') AND v.status = 'open' AND w.anonymised_at IS NULL"

    /// The letter with `code`, for the public check; nil when no letter has it.
    func check(_ code: LetterCode, logger: Logger) async throws -> ReferralLetter? {
        try await self.client.withConnection { connection in
            try await Self.read(id: nil, code: code.value, printer: nil, on: connection, logger: logger) ?? nil
        }
    }

    /// The letter of referral `id`, or with letter code `code`: nil when there is no such referral,
    /// `.some(nil)` when it has no letter (a proposal).
    private static func read(
        id: Int64?,
        code: String?,
        printer: Int64?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> ReferralLetter?? {
        let rows = try await connection.query(
            """
            SELECT r.id, r.letter_code,
                   \(unescaped: Self.current),
                   CASE WHEN w.anonymised_at IS NULL THEN w.full_name ELSE '' END,
                   CASE WHEN w.anonymised_at IS NULL THEN extract(year FROM w.birth_date)::int ELSE 0 END,
                   coalesce(occupations.codes, '{}'), coalesce(occupations.titles, '{}'),
                   v.title, e.name, wd.ward_name || ', ' || wd.province_name,
                   to_char(coalesce(referred.created_at, r.created_at) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD'),
                   coalesce(nullif(s.display_name, ''), s.username, '')
            FROM referrals r
            JOIN vacancies v ON v.id = r.vacancy_id
            JOIN employers e ON e.id = v.employer_id
            JOIN wards_2025 wd ON wd.ward_code = v.ward_code
            JOIN workers w ON w.id = r.worker_id
            LEFT JOIN LATERAL (
                SELECT ev.created_at, CASE WHEN ev.actor_kind = 'staff' THEN ev.actor_id END AS officer_id
                FROM referral_events ev WHERE ev.referral_id = r.id AND ev.to_status = 'referred'
                ORDER BY ev.id DESC LIMIT 1
            ) referred ON true
            LEFT JOIN LATERAL (
                SELECT array_agg(wo.occupation_code ORDER BY wo.occupation_code = v.occupation_code DESC, wo.occupation_code) AS codes,
                       array_agg(coalesce(o.title_vi, o.title_en) ORDER BY wo.occupation_code = v.occupation_code DESC, wo.occupation_code) AS titles
                FROM worker_occupations wo JOIN occupations o ON o.code = wo.occupation_code WHERE wo.worker_id = w.id
            ) occupations ON true
            LEFT JOIN staff_users s ON s.id = coalesce(referred.officer_id, \(printer)::bigint)
            WHERE (\(id)::bigint IS NULL OR r.id = \(id)::bigint) AND (\(code)::text IS NULL OR r.letter_code = \(code)::text)
            """,
            logger: logger
        )
        let decoded = try await rows.decode((Int64, String?, Bool, String, Int, [String], [String], String, String, String, String, String).self)
            .first(where: { _ in true })
        guard let (referralID, code, current, name, birthYear, codes, titles, title, employer, place, day, officer) = decoded else {
            return nil
        }
        guard let letterCode = code.flatMap(LetterCode.init), let referredOn = LocalDate(day) else { return .some(nil) }
        let letter = ReferralLetter(
            referralID: referralID,
            code: letterCode,
            current: current,
            workerName: name,
            birthYear: birthYear,
            occupations: zip(codes, titles).map { ReferralLetter.Occupation(code: $0, title: $1) },
            vacancyTitle: title,
            employer: employer,
            place: place,
            referredOn: referredOn,
            officer: officer
        )
        return letter
    }
}
