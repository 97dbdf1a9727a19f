import Foundation
import Logging
import PostgresNIO

extension JobFairService {
    /// Session `id` with its employers and their vacancies, who came and the interviews, read on `connection`.
    static func detail(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> JobFairView.Detail {
        guard let fair = try await Self.summaries(where: "f.id = \(id)", on: connection, logger: logger).first else {
            throw AppError.notFound("phiên giao dịch việc làm \(id)")
        }
        var vacancies: [Int64: [JobFairView.Vacancy]] = [:]
        let vacancyRows = try await connection.query(
            """
            SELECT fv.employer_id, v.id, v.title, v.occupation_code, v.slots, v.slots_filled
            FROM job_fair_vacancies fv JOIN vacancies v ON v.id = fv.vacancy_id
            WHERE fv.job_fair_id = \(id) ORDER BY v.id
            """,
            logger: logger
        )
        for try await (employer, vacancy, title, occupation, slots, filled) in vacancyRows.decode((Int64, Int64, String, String, Int, Int).self) {
            vacancies[employer, default: []].append(
                JobFairView.Vacancy(id: vacancy, title: title, occupationCode: occupation, slots: slots, slotsFilled: filled)
            )
        }
        var employers: [JobFairView.Employer] = []
        let employerRows = try await connection.query(
            """
            SELECT e.id, e.name FROM job_fair_employers fe JOIN employers e ON e.id = fe.employer_id
            WHERE fe.job_fair_id = \(id) ORDER BY e.name, e.id
            """,
            logger: logger
        )
        for try await (employer, name) in employerRows.decode((Int64, String).self) {
            employers.append(JobFairView.Employer(id: employer, name: name, vacancies: vacancies[employer] ?? []))
        }
        var attendances: [JobFairView.Attendance] = []
        let attendanceRows = try await connection.query(
            """
            SELECT a.id, a.worker_id, w.full_name, a.means, a.referral_id,
                   to_char(a.checked_in_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS')
            FROM job_fair_attendances a JOIN workers w ON w.id = a.worker_id
            WHERE a.job_fair_id = \(id) ORDER BY a.id
            """,
            logger: logger
        )
        for try await (attendance, worker, name, means, referral, at) in attendanceRows.decode((Int64, Int64, String, String, Int64?, String).self) {
            attendances.append(
                JobFairView.Attendance(id: attendance, workerId: worker, workerName: name, means: means, referralId: referral, checkedInAt: at)
            )
        }
        return JobFairView.Detail(
            jobFair: fair,
            employers: employers,
            attendances: attendances,
            interviews: try await Self.interviews(where: "i.job_fair_id = \(id)", on: connection, logger: logger)
        )
    }

    /// Interviews matching `condition` (on `i`, the job_fair_interviews row), by id; a hire whose
    /// placement was reversed reads `hire_reversed` (the interview's row keeps what was done).
    static func interviews(where condition: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [JobFairView.Interview]
    {
        var sql = PostgresQuery(
            unsafeSQL: """
                SELECT i.id, i.attendance_id, a.worker_id, w.full_name, v.id, v.title, e.name,
                       CASE WHEN i.stage = 'hired' AND EXISTS (SELECT 1 FROM placements r WHERE r.reverses_id = i.placement_id)
                            THEN 'hire_reversed' ELSE i.stage END,
                       i.placement_id
                FROM job_fair_interviews i
                JOIN job_fair_attendances a ON a.id = i.attendance_id
                JOIN workers w ON w.id = a.worker_id
                JOIN vacancies v ON v.id = i.vacancy_id
                JOIN employers e ON e.id = v.employer_id
                WHERE
                """
        )
        sql.sql += " " + condition.sql + " ORDER BY i.id"
        sql.binds = condition.binds
        var interviews: [JobFairView.Interview] = []
        let rows = try await connection.query(sql, logger: logger)
        for try await (id, attendance, worker, name, vacancy, title, employer, stage, placement) in rows.decode(
            (Int64, Int64, Int64, String, Int64, String, String, String, Int64?).self
        ) {
            interviews.append(
                JobFairView.Interview(
                    id: id,
                    attendanceId: attendance,
                    workerId: worker,
                    workerName: name,
                    vacancyId: vacancy,
                    vacancyTitle: title,
                    employer: employer,
                    stage: stage,
                    placementId: placement
                )
            )
        }
        return interviews
    }
}
