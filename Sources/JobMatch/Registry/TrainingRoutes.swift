import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Training courses and enrolments (Law 74/2014 levels).
struct TrainingRoutes {
    let client: PostgresClient

    enum Level: String, CaseIterable { case under3Months = "under_3_months", soCap = "so_cap", trungCap = "trung_cap", caoDang = "cao_dang" }

    /// `POST /courses` body.
    struct NewCourse: Decodable {
        let title: String?
        let occupationCode: String
        let level: String
        let startDate: String
        let endDate: String
        let seats: Int
        let fundingSource: String?
    }

    /// `POST /enrolments` body.
    struct NewEnrolment: Decodable {
        let courseId: Int64
        let workerId: Int64
    }

    /// `POST /enrolments/{id}/complete` body.
    struct Completion: Decodable {
        let certificateNumber: String?
        let completedOn: String?
    }

    /// An enrolment's state after a change.
    struct EnrolmentView: ResponseCodable {
        let id: Int64
        let status: String
        let certificateNumber: String?
        let completedOn: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("courses", use: self.createCourse)
        group.post("enrolments", use: self.enrol)
        group.post("enrolments/:id/complete", use: self.complete)
    }

    @Sendable func createCourse(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewCourse.self, context: context)
        let title = try CleanText.required(input.title, field: "title", label: "Tên khóa học", maxLength: 200)
        let occupation = try Input.occupationCode(input.occupationCode, field: "occupation_code")
        let level = try Input.choice(input.level, as: Level.self, field: "level")
        let start = try Input.date(input.startDate, field: "start_date", label: "Ngày khai giảng")
        let end = try Input.date(input.endDate, field: "end_date", label: "Ngày kết thúc")
        guard end >= start else { throw AppError.invalid(field: "end_date", "Ngày kết thúc phải sau ngày khai giảng.") }
        guard (1...10000).contains(input.seats) else { throw AppError.invalid(field: "seats", "Số chỗ phải từ 1 đến 10.000.") }
        let funding = try CleanText.optional(input.fundingSource, field: "funding_source", label: "Nguồn kinh phí", maxLength: 200)
        let logger = context.logger
        let id = try await self.client.withTransaction(logger: logger) { tx in
            try await ReferenceCheck(connection: tx, logger: logger).occupation(occupation)
            let id = try await tx.query(
                """
                INSERT INTO courses (title, occupation_code, level, start_date, end_date, seats, funding_source, created_by)
                VALUES (\(title), \(occupation), \(level.rawValue), \(start.description)::date, \(end.description)::date, \(input.seats), \(funding), \(staff.id))
                RETURNING id
                """, logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "course", entityID: id,
                                      after: ["title": title, "occupation_code": occupation], logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CreatedID> {
        let staff = try context.requireStaff()
        let input = try await request.decodeJSON(NewEnrolment.self, context: context)
        let logger = context.logger
        let id = try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.record(.courses, id: input.courseId, field: "course_id", label: "khóa học")
            try await check.activeWorker(input.workerId)
            // Lock the course first, then count in a new statement: a count in the locking
            // statement would use the snapshot from before the wait and let two clerks take the last seat.
            _ = try await tx.query("SELECT id FROM courses WHERE id = \(input.courseId) FOR UPDATE", logger: logger)
            let seats = try await tx.query(
                """
                SELECT c.seats - (SELECT count(*) FROM enrolments e WHERE e.course_id = c.id AND e.status <> 'dropped')
                FROM courses c WHERE c.id = \(input.courseId)
                """, logger: logger).first(Int64.self) ?? 0
            guard seats > 0 else { throw AppError.conflict("Khóa học đã đủ học viên.", field: "course_id") }
            if try await check.exists("SELECT 1 FROM enrolments WHERE course_id = \(input.courseId) AND worker_id = \(input.workerId)") {
                throw AppError.conflict("Người lao động đã ghi danh khóa học này.", field: "worker_id")
            }
            let id = try await tx.query(
                "INSERT INTO enrolments (course_id, worker_id, created_by) VALUES (\(input.courseId), \(input.workerId), \(staff.id)) RETURNING id",
                logger: logger).first(Int64.self)!
            try await AuditLog.record(on: tx, actor: context.principal, action: "create", entity: "enrolment", entityID: id,
                                      after: ["course_id": "\(input.courseId)", "worker_id": "\(input.workerId)"], logger: logger)
            return id
        }
        return EditedResponse(status: .created, response: CreatedID(id: id))
    }

    @Sendable func complete(_ request: Request, context: AppRequestContext) async throws -> EnrolmentView {
        _ = try context.requireStaff()
        let id = try context.parameters.require("id", as: Int64.self)
        let input = try await request.decodeJSON(Completion.self, context: context)
        let certificate = try CleanText.required(input.certificateNumber, field: "certificate_number", label: "Số chứng chỉ", maxLength: 100)
        let completedOn = try Input.optionalDate(input.completedOn, field: "completed_on", label: "Ngày hoàn thành") ?? LocalDate.today()
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            guard let (status, start) = try await tx.query(
                """
                SELECT e.status, c.start_date::text FROM enrolments e JOIN courses c ON c.id = e.course_id
                WHERE e.id = \(id) FOR UPDATE OF e
                """, logger: logger).decode((String, String).self).first(where: { _ in true })
            else { throw AppError.notFound("lượt ghi danh \(id)") }
            guard status == "enrolled" else {
                throw AppError.conflict("Lượt ghi danh đang ở trạng thái '\(status)'; chỉ lượt đang học mới được ghi nhận hoàn thành.")
            }
            guard completedOn.description >= start else {
                throw AppError.invalid(field: "completed_on", "Ngày hoàn thành không thể trước ngày khai giảng.")
            }
            try await tx.query(
                """
                UPDATE enrolments SET status = 'completed', certificate_number = \(certificate), completed_on = \(completedOn.description)::date
                WHERE id = \(id)
                """, logger: logger)
            try await AuditLog.record(on: tx, actor: context.principal, action: "complete", entity: "enrolment", entityID: id,
                                      before: ["status": status], after: ["status": "completed", "certificate_number": certificate], logger: logger)
            return EnrolmentView(id: id, status: "completed", certificateNumber: certificate, completedOn: completedOn.description)
        }
    }
}
