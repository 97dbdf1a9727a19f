import Foundation
import JobMatchCore
import Logging
import PostgresNIO

extension JobFairService {
    /// Session `id`'s report as of `today`; 404 when there is none.
    func report(_ id: Int64, today: LocalDate, logger: Logger) async throws -> JobFairReport {
        try await self.client.withConnection { connection in
            guard let fair = try await Self.summaries(where: "f.id = \(id)", on: connection, logger: logger).first else {
                throw AppError.notFound("phiên giao dịch việc làm \(id)")
            }
            let d = today.description
            let (employers, vacancies, slots, attendees, interviews, offers, hires, counted) = try await connection.query(
                """
                SELECT (SELECT count(*) FROM job_fair_employers WHERE job_fair_id = \(id)),
                       (SELECT count(*) FROM job_fair_vacancies WHERE job_fair_id = \(id)),
                       (SELECT coalesce(sum(v.slots), 0)::bigint FROM job_fair_vacancies fv JOIN vacancies v ON v.id = fv.vacancy_id
                        WHERE fv.job_fair_id = \(id)),
                       (SELECT count(*) FROM job_fair_attendances WHERE job_fair_id = \(id)),
                       (SELECT count(*) FROM job_fair_interviews WHERE job_fair_id = \(id)),
                       (SELECT count(*) FROM job_fair_interviews WHERE job_fair_id = \(id) AND offered_at IS NOT NULL),
                       (SELECT count(*) FROM live_placements() p WHERE p.job_fair_id = \(id)),
                       (SELECT count(DISTINCT c.placement_id)
                        FROM (SELECT * FROM targets WHERE indicator = 'jobs') t
                        CROSS JOIN LATERAL counted_for_target(t.key, t.basis, t.period_start, t.period_end, end_of_day(\(d)::date), false,
                                                              ARRAY(SELECT worker_id FROM placements WHERE job_fair_id = \(id))) c
                        JOIN placements p ON p.id = c.placement_id
                        WHERE p.job_fair_id = \(id))
                """,
                logger: logger
            ).decode((Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self).first(where: { _ in true })!
            var groups: [String: [JobFairReport.Count]] = [:]
            let rows = try await connection.query(
                """
                WITH a AS (
                    SELECT household_status_on(w.household_id, f.held_on) AS status, w.sex,
                           CASE WHEN w.disability_type IS NULL THEN 'without_disability' ELSE 'with_disability' END AS disability,
                           CASE WHEN eg.minority THEN 'ethnic_minority' WHEN eg.minority = false THEN 'kinh' ELSE 'not_recorded' END AS ethnic
                    FROM job_fair_attendances fa JOIN job_fairs f ON f.id = fa.job_fair_id JOIN workers w ON w.id = fa.worker_id
                    LEFT JOIN ethnic_groups eg ON eg.name = w.ethnicity
                    WHERE fa.job_fair_id = \(id)
                )
                SELECT 'status', status, count(*) FROM a GROUP BY status
                UNION ALL SELECT 'sex', sex, count(*) FROM a GROUP BY sex
                UNION ALL SELECT 'disability', disability, count(*) FROM a GROUP BY disability
                UNION ALL SELECT 'ethnic', ethnic, count(*) FROM a GROUP BY ethnic
                ORDER BY 1, 3 DESC, 2
                """,
                logger: logger
            )
            for try await (dimension, key, count) in rows.decode((String, String, Int64).self) {
                groups[dimension, default: []].append(JobFairReport.Count(key: key, label: Self.label(dimension, key), count: count))
            }
            return JobFairReport(
                jobFair: fair,
                employers: employers,
                vacancies: vacancies,
                slots: slots,
                attendees: attendees,
                byHouseholdStatus: groups["status"] ?? [],
                bySex: groups["sex"] ?? [],
                byDisability: groups["disability"] ?? [],
                byEthnicity: groups["ethnic"] ?? [],
                interviews: interviews,
                offers: offers,
                hires: hires,
                countedHires: counted
            )
        }
    }

    /// The Vietnamese name of a group.
    static func label(_ dimension: String, _ key: String) -> String {
        switch (dimension, key) {
        case ("status", _): HouseholdStatus(rawValue: key)?.vietnamese ?? key
        case ("sex", _): Sex(rawValue: key)?.vietnamese ?? key
        case (_, "with_disability"): "Người khuyết tật"
        case (_, "without_disability"): "Không khuyết tật"
        case (_, "ethnic_minority"): "Dân tộc thiểu số"
        case (_, "kinh"): "Dân tộc Kinh"
        case (_, "not_recorded"): "Chưa ghi nhận"
        default: key
        }
    }
}
