import JobMatchCore
import Logging
import PostgresNIO

/// Vocational training: courses (Law 74/2014 levels), enrolments with their completion, and the
/// State's support for a short course (Decision 46/2015: capped by priority group, once per
/// person). The staff API and the pages both call these; each write is audited in its transaction.
struct TrainingService: Sendable {
    let client: PostgresClient

    /// Adds a course; returns its id.
    func createCourse(_ input: CourseInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        let title = try CleanText.required(input.title, field: "title", label: "Tên khóa học", maxLength: 200)
        let occupation = try Input.occupationCode(input.occupationCode, field: "occupation_code")
        let level = try Input.choice(input.level, as: CourseLevel.self, field: "level")
        let start = try Input.date(input.startDate, field: "start_date", label: "Ngày khai giảng")
        let end = try Input.date(input.endDate, field: "end_date", label: "Ngày kết thúc")
        guard end >= start else { throw AppError.invalid(field: "end_date", "Ngày kết thúc phải sau ngày khai giảng.") }
        guard (1...10000).contains(input.seats) else { throw AppError.invalid(field: "seats", "Số chỗ phải từ 1 đến 10.000.") }
        let funding = try CleanText.optional(input.fundingSource, field: "funding_source", label: "Nguồn kinh phí", maxLength: 200)
        return try await self.client.withTransaction(logger: logger) { tx in
            try await ReferenceCheck(connection: tx, logger: logger).occupation(occupation)
            let id = try await tx.query(
                """
                INSERT INTO courses (title, occupation_code, level, start_date, end_date, seats, funding_source, created_by)
                VALUES (\(title), \(occupation), \(level.rawValue), \(start.description)::date, \(end.description)::date, \(input.seats), \(funding),
                        \(actor.staffID))
                RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "course",
                entityID: id,
                after: ["title": title, "occupation_code": occupation],
                logger: logger
            )
            return id
        }
    }

    /// Enrols an active worker in a course with a free seat, once; returns the enrolment's id.
    func enrol(_ input: EnrolmentInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        try await self.client.withTransaction(logger: logger) { tx in
            let check = ReferenceCheck(connection: tx, logger: logger)
            try await check.record(.courses, id: input.courseId, field: "course_id", label: "khóa học")
            try await check.activeWorker(input.workerId)
            // Lock the course first, then count in a new statement: a count in the locking
            // statement would use the snapshot from before the wait and let two clerks take the last seat.
            _ = try await tx.query("SELECT id FROM courses WHERE id = \(input.courseId) FOR UPDATE", logger: logger)
            let seats =
                try await tx.query(
                    """
                    SELECT c.seats - (SELECT count(*) FROM enrolments e WHERE e.course_id = c.id AND e.status <> 'dropped')
                    FROM courses c WHERE c.id = \(input.courseId)
                    """,
                    logger: logger
                ).first(Int64.self) ?? 0
            guard seats > 0 else { throw AppError.conflict("Khóa học đã đủ học viên.", field: "course_id") }
            if try await check.exists("SELECT 1 FROM enrolments WHERE course_id = \(input.courseId) AND worker_id = \(input.workerId)") {
                throw AppError.conflict("Người lao động đã ghi danh khóa học này.", field: "worker_id")
            }
            let id = try await tx.query(
                "INSERT INTO enrolments (course_id, worker_id, created_by) VALUES (\(input.courseId), \(input.workerId), \(actor.staffID)) RETURNING id",
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "create",
                entity: "enrolment",
                entityID: id,
                after: ["course_id": "\(input.courseId)", "worker_id": "\(input.workerId)"],
                logger: logger
            )
            return id
        }
    }

    /// Records that a learner completed the course (`completed_on` nil: today), with the certificate.
    func complete(_ id: Int64, _ input: CompletionInput, by actor: Principal, logger: Logger) async throws -> EnrolmentView {
        let certificate = try CleanText.required(input.certificateNumber, field: "certificate_number", label: "Số chứng chỉ", maxLength: 100)
        let completedOn = try Input.optionalDate(input.completedOn, field: "completed_on", label: "Ngày hoàn thành") ?? LocalDate.today()
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (status, start) = try await tx.query(
                    """
                    SELECT e.status, c.start_date::text FROM enrolments e JOIN courses c ON c.id = e.course_id
                    WHERE e.id = \(id) FOR UPDATE OF e
                    """,
                    logger: logger
                ).decode((String, String).self).first(where: { _ in true })
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
                """,
                logger: logger
            )
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "complete",
                entity: "enrolment",
                entityID: id,
                before: ["status": status],
                after: ["status": "completed", "certificate_number": certificate],
                logger: logger
            )
            return EnrolmentView(id: id, status: "completed", certificateNumber: certificate, completedOn: completedOn.description)
        }
    }

    /// Grants the support for a short course: within the group's cap, once per person (records
    /// merged into this one count too); returns the grant's id.
    func grantSupport(_ input: TrainingSupportInput, by actor: Principal, logger: Logger) async throws -> Int64 {
        let basis = try Input.choice(input.basis, as: TrainingSupportBasis.self, field: "basis")
        guard (1...basis.capVND).contains(input.amountVnd) else {
            throw AppError.invalid(field: "amount_vnd", "Mức hỗ trợ cho nhóm này tối đa \(basis.capVND) đồng (Quyết định 46/2015/QĐ-TTg).")
        }
        let decided = try Input.date(input.decidedOn, field: "decided_on", label: "Ngày quyết định")
        return try await self.client.withTransaction(logger: logger) { tx in
            guard
                let (workerID, level) = try await tx.query(
                    "SELECT e.worker_id, c.level FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.id = \(input.enrolmentId)",
                    logger: logger
                ).decode((Int64, String).self).first(where: { _ in true })
            else { throw AppError.invalid(field: "enrolment_id", "Không tìm thấy lượt ghi danh có mã \(input.enrolmentId).") }
            guard CourseLevel(rawValue: level)?.isSupportable == true else {
                throw AppError.invalid(field: "enrolment_id", "Chỉ hỗ trợ đào tạo trình độ sơ cấp và dưới 3 tháng.")
            }
            // Serialise grants for one person so two clerks cannot both grant the first support.
            _ = try await tx.query("SELECT id FROM workers WHERE id = \(workerID) FOR UPDATE", logger: logger)
            try await ReferenceCheck(connection: tx, logger: logger).activeWorker(workerID, field: "enrolment_id")
            // Records merged into this one are the same person: their grants count too.
            if let (earlier, on) = try await tx.query(
                """
                SELECT id, decided_on::text FROM training_supports
                WHERE worker_id IN (SELECT id FROM workers WHERE id = \(workerID) OR merged_into = \(workerID))
                """,
                logger: logger
            ).decode((Int64, String).self).first(where: { _ in true }) {
                throw AppError.conflict(
                    "Người lao động đã được hỗ trợ đào tạo (quyết định ngày \(LocalDate(on)?.vietnamese ?? on), mã \(earlier)); mỗi người chỉ được hỗ trợ một lần.",
                    field: "enrolment_id",
                    extra: ["existing_id": earlier]
                )
            }
            let id = try await tx.query(
                """
                INSERT INTO training_supports (worker_id, enrolment_id, amount_vnd, basis, decided_on)
                VALUES (\(workerID), \(input.enrolmentId), \(input.amountVnd), \(basis.rawValue), \(decided.description)::date) RETURNING id
                """,
                logger: logger
            ).first(Int64.self)!
            try await AuditLog.record(
                on: tx,
                actor: actor,
                action: "grant_support",
                entity: "worker",
                entityID: workerID,
                after: ["amount_vnd": "\(input.amountVnd)", "basis": basis.rawValue],
                logger: logger
            )
            return id
        }
    }
}
