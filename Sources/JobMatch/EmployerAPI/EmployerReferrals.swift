import Foundation
import Logging
import PostgresNIO

/// Referrals as an employer sees them: the minimum it needs about each candidate (name,
/// occupations, skills, completed training, and the phone only while the worker's consent to
/// share contact details with employers is in force), never a CCCD, birth date, disability or
/// household status. Proposals the centre has not sent yet are not shown.
struct EmployerReferrals: Sendable {
    let client: PostgresClient

    /// One referral in the employer's view (decoded from the JSON the query builds).
    struct View: Codable, Sendable {
        struct Occupation: Codable, Sendable {
            let code: String
            let title: String
        }
        struct Training: Codable, Sendable {
            let courseTitle: String
            let occupationCode: String
            let level: String
            let completedOn: String
        }
        struct Candidate: Codable, Sendable {
            let fullName: String
            let occupations: [Occupation]
            let skills: [String]
            let completedTraining: [Training]
            let phone: String?
        }
        let id: Int64
        let vacancyId: Int64
        let status: String
        let referredAtMicros: Int64
        let updatedAtMicros: Int64
        let candidate: Candidate
        let interviewedOn: String?
        let interviewOutcome: String?
        let interviewNote: String?
        let hireStartDate: String?
        let hireWageVnd: Int64?
        let rejectionReason: String?
    }

    /// One page of the employer's referrals in id order, after `afterID`.
    func list(caller: EmployerCaller, vacancyID: Int64?, status: String?, limit: Int, afterID: Int64?) async throws -> [View] {
        let employerID = caller.employerID
        let rows = try await self.client.query(
            """
            SELECT \(unescaped: Self.viewJSON)
            FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN workers w ON w.id = r.worker_id
            WHERE v.employer_id = \(employerID) AND r.status <> 'proposed'
              AND (\(vacancyID)::bigint IS NULL OR r.vacancy_id = \(vacancyID)::bigint)
              AND (\(status)::text IS NULL OR r.status = \(status)::text)
              AND (\(afterID)::bigint IS NULL OR r.id > \(afterID)::bigint)
            ORDER BY r.id LIMIT \(limit)
            """,
            logger: caller.logger
        )
        return try await Self.views(rows)
    }

    /// The employer's referral (not a proposal), on `connection` when given; nil when not found.
    func find(_ id: Int64, caller: EmployerCaller, on connection: PostgresConnection? = nil) async throws -> View? {
        let employerID = caller.employerID
        let query: PostgresQuery = """
            SELECT \(unescaped: Self.viewJSON)
            FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN workers w ON w.id = r.worker_id
            WHERE r.id = \(id) AND v.employer_id = \(employerID) AND r.status <> 'proposed'
            """
        if let connection { return try await Self.views(connection.query(query, logger: caller.logger)).first }
        return try await Self.views(self.client.query(query, logger: caller.logger)).first
    }

    /// The employer's view of a referral row `r` (vacancy `v`, worker `w`).
    static let viewJSON = """
        json_build_object(
            'id', r.id, 'vacancy_id', r.vacancy_id, 'status', r.status,
            'referred_at_micros', (extract(epoch FROM r.created_at) * 1000000)::bigint,
            'updated_at_micros', (extract(epoch FROM r.updated_at) * 1000000)::bigint,
            'candidate', json_build_object(
                'full_name', w.full_name,
                'occupations', COALESCE((SELECT json_agg(json_build_object('code', o.code, 'title', COALESCE(o.title_vi, o.title_en)) ORDER BY o.code)
                                         FROM worker_occupations wo JOIN occupations o ON o.code = wo.occupation_code WHERE wo.worker_id = w.id), '[]'),
                'skills', ARRAY(SELECT s.name_vi FROM worker_skills ws JOIN skills s ON s.id = ws.skill_id WHERE ws.worker_id = w.id
                                ORDER BY s.name_vi COLLATE "vi-VN-x-icu"),
                'completed_training', COALESCE((SELECT json_agg(json_build_object('course_title', c.title, 'occupation_code', c.occupation_code,
                                                'level', c.level, 'completed_on', e.completed_on::text) ORDER BY e.completed_on)
                                                FROM enrolments e JOIN courses c ON c.id = e.course_id
                                                WHERE e.worker_id = w.id AND e.status = 'completed'), '[]'),
                'phone', CASE WHEN EXISTS (SELECT 1 FROM worker_consents k WHERE k.worker_id = w.id
                                           AND k.purpose = 'share_contact_with_employer' AND k.withdrawn_at IS NULL)
                              THEN w.phone END
            ),
            'interviewed_on', r.interviewed_on::text, 'interview_outcome', r.interview_outcome, 'interview_note', r.interview_note,
            'hire_start_date', (SELECT p.start_date::text FROM live_placements() p WHERE p.referral_id = r.id),
            'hire_wage_vnd', (SELECT p.wage_vnd FROM live_placements() p WHERE p.referral_id = r.id),
            'rejection_reason', r.rejection_reason
        )::text
        """

    static func views(_ rows: PostgresRowSequence) async throws -> [View] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var views: [View] = []
        for try await json in rows.decode(String.self) {
            views.append(try decoder.decode(View.self, from: Data(json.utf8)))
        }
        return views
    }
}
