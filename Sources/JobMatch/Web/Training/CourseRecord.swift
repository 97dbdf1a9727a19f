import Foundation
import JobMatchCore
import Logging
import PostgresNIO

/// A course as its page shows it: the facts, and each learner with the state of the enrolment, the
/// certificate and the training support granted.
struct CourseRecord {
    var values: [String: Any]
    var rows: [[String: Any]]

    /// The course, or nil when there is none with this id.
    static func load(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> CourseRecord? {
        guard let course = try await connection.query(
            """
            SELECT c.title, c.occupation_code, coalesce(o.title_vi, o.title_en), c.level, c.start_date::text, c.end_date::text, c.seats,
                   coalesce(c.funding_source, ''), to_char(c.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
            FROM courses c JOIN occupations o ON o.code = c.occupation_code WHERE c.id = \(id)
            """, logger: logger).decode((String, String, String, String, String, String, Int, String, String).self).first(where: { _ in true })
        else { return nil }
        let (title, code, occupation, level, start, end, seats, funding, created) = course
        let learners = try await connection.query(
            """
            SELECT e.id, e.worker_id, w.full_name, e.status, coalesce(e.certificate_number, ''), coalesce(e.completed_on::text, ''),
                   coalesce(s.amount_vnd, 0), coalesce(s.basis, ''), coalesce(s.decided_on::text, ''),
                   EXISTS (SELECT 1 FROM training_supports t WHERE t.worker_id = e.worker_id)
            FROM enrolments e JOIN workers w ON w.id = e.worker_id LEFT JOIN training_supports s ON s.enrolment_id = e.id
            WHERE e.course_id = \(id) ORDER BY e.created_at, e.id
            """, logger: logger).decode((Int64, Int64, String, String, String, String, Int64, String, String, Bool).self).collect()
        let supportable = ["under_3_months", "so_cap"].contains(level)
        let taken = learners.filter { $0.3 != "dropped" }.count
        let rows = learners.map { enrolment, worker, name, status, certificate, completed, amount, basis, decided, supported -> [String: Any] in
            [
                "id": enrolment, "worker": worker, "name": name, "status": WebLabels.word(status, in: WebLabels.enrolmentStatus),
                "isCompleted": status == "completed", "certificate": certificate, "completedOn": WebDates.display(completed),
                "support": amount > 0 ? WebLabels.money(amount) + " · " + WebLabels.word(basis, in: WebLabels.supportBasis) : "",
                "supportDate": WebDates.display(decided),
                "canComplete": status == "enrolled", "canSupport": status == "completed" && supportable && !supported,
                "supportedElsewhere": supported && amount == 0,
            ]
        }
        return CourseRecord(values: [
            "courseId": id, "courseTitle": title, "occupation": WebLabels.occupationNamed(code, title: occupation),
            "level": WebLabels.word(level, in: WebLabels.courseLevel), "start": WebDates.display(start), "end": WebDates.display(end),
            "seats": VietnameseFormat.number(seats), "taken": VietnameseFormat.number(taken), "free": VietnameseFormat.number(max(0, seats - taken)),
            "isFull": taken >= seats, "funding": funding, "created": created, "supportable": supportable,
            "hasEnrolments": !learners.isEmpty,
        ], rows: rows)
    }
}
