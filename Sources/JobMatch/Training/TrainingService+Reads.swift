import Logging
import PostgresNIO

extension TrainingService {
    /// The newest courses (at most `limit`) and how many there are in all.
    func courses(limit: Int, logger: Logger) async throws -> (courses: [CourseSummary], total: Int) {
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT c.id, c.title, c.occupation_code, coalesce(o.title_vi, o.title_en), c.level, c.start_date::text, c.end_date::text,
                       c.seats, (SELECT count(*) FROM enrolments e WHERE e.course_id = c.id AND e.status <> 'dropped')::int,
                       (count(*) OVER ())::int
                FROM courses c JOIN occupations o ON o.code = c.occupation_code
                ORDER BY c.created_at DESC, c.id DESC LIMIT \(limit)
                """,
                logger: logger
            ).decode((Int64, String, String, String, String, String, String, Int, Int, Int).self).collect()
        }
        let courses = rows.map {
            CourseSummary(
                id: $0.0,
                title: $0.1,
                occupationCode: $0.2,
                occupationTitle: $0.3,
                level: $0.4,
                startDate: $0.5,
                endDate: $0.6,
                seats: $0.7,
                enrolled: $0.8
            )
        }
        return (courses, rows.first?.9 ?? 0)
    }

    /// A course with its learners; 404 when there is none.
    func course(_ id: Int64, logger: Logger) async throws -> CourseDetails {
        try await self.client.withConnection { connection in
            guard
                let course = try await connection.query(
                    """
                    SELECT c.title, c.occupation_code, coalesce(o.title_vi, o.title_en), c.level, c.start_date::text, c.end_date::text, c.seats,
                           c.funding_source, to_char(c.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                    FROM courses c JOIN occupations o ON o.code = c.occupation_code WHERE c.id = \(id)
                    """,
                    logger: logger
                ).decode((String, String, String, String, String, String, Int, String?, String).self).first(where: { _ in true })
            else { throw AppError.notFound("khóa học \(id)") }
            let learners = try await connection.query(
                """
                SELECT e.id, e.worker_id, w.full_name, e.status, e.certificate_number, e.completed_on::text, s.amount_vnd, s.basis, s.decided_on::text,
                       EXISTS (SELECT 1 FROM training_supports t WHERE t.worker_id = e.worker_id)
                FROM enrolments e JOIN workers w ON w.id = e.worker_id LEFT JOIN training_supports s ON s.enrolment_id = e.id
                WHERE e.course_id = \(id) ORDER BY e.created_at, e.id
                """,
                logger: logger
            ).decode((Int64, Int64, String, String, String?, String?, Int64?, String?, String?, Bool).self).collect()
            return CourseDetails(
                id: id,
                title: course.0,
                occupationCode: course.1,
                occupationTitle: course.2,
                level: course.3,
                startDate: course.4,
                endDate: course.5,
                seats: course.6,
                fundingSource: course.7,
                createdOn: course.8,
                learners: learners.map {
                    CourseDetails.Learner(
                        enrolmentID: $0.0,
                        workerID: $0.1,
                        fullName: $0.2,
                        status: $0.3,
                        certificateNumber: $0.4,
                        completedOn: $0.5,
                        supportAmountVND: $0.6,
                        supportBasis: $0.7,
                        supportDecidedOn: $0.8,
                        everSupported: $0.9
                    )
                }
            )
        }
    }

    /// Whether `enrolment` is one of `course`'s.
    func enrolment(_ enrolment: Int64, belongsTo course: Int64, logger: Logger) async throws -> Bool {
        try await self.client.withConnection { connection in
            try await connection.query("SELECT 1 FROM enrolments WHERE id = \(enrolment) AND course_id = \(course)", logger: logger)
                .decode(Int.self).first(where: { _ in true }) != nil
        }
    }
}
