import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Training: the courses (newest first), a new course, and a course's page with its learners, where
/// officers enrol a worker, record a completion and the training support. Every write goes through
/// the staff API's handler (`TrainingRoutes`, `TrainingSupportRoutes`): same rules, messages, audit.
struct TrainingPages {
    let client: PostgresClient
    let renderer: WebRenderer

    /// At most this many courses on the list.
    static let listLimit = 200

    var routes: [WebRoute] {
        [
            .get("courses", self.list),
            .get("courses/new", .writers, self.newForm),
            .post("courses/new", self.create),
            .get("courses/:id", self.show),
            .post("courses/:id/enrolments", self.enrol),
            .post("courses/:id/enrolments/:enrolment/complete", self.complete),
            .post("courses/:id/enrolments/:enrolment/support", self.grantSupport),
        ]
    }

    var api: TrainingRoutes { TrainingRoutes(client: self.client) }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = Self.listLimit
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT c.id, c.title, c.occupation_code, coalesce(o.title_vi, o.title_en), c.level, c.start_date::text, c.end_date::text,
                       c.seats, (SELECT count(*) FROM enrolments e WHERE e.course_id = c.id AND e.status <> 'dropped')::int,
                       (count(*) OVER ())::int
                FROM courses c JOIN occupations o ON o.code = c.occupation_code
                ORDER BY c.created_at DESC, c.id DESC LIMIT \(limit)
                """, logger: context.logger).decode((Int64, String, String, String, String, String, String, Int, Int, Int).self).collect()
        }
        let total = rows.first?.9 ?? 0
        return self.renderer.page("courses", title: "Đào tạo nghề", context: context, values: [
            "rows": rows.map { id, title, code, occupation, level, start, end, seats, enrolled, _ -> [String: Any] in
                ["id": id, "title": title, "occupation": WebLabels.occupationNamed(code, title: occupation),
                 "level": WebLabels.word(level, in: WebLabels.courseLevel), "start": WebDates.display(start), "end": WebDates.display(end),
                 "seats": VietnameseFormat.number(seats), "enrolled": VietnameseFormat.number(enrolled), "full": enrolled >= seats]
            },
            "none": rows.isEmpty, "truncated": total > rows.count, "shown": VietnameseFormat.number(rows.count),
            "total": VietnameseFormat.number(total),
        ], section: "courses")
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.newPage(state: WebFormState(), context: context)
    }

    private func newPage(state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(title: "Thêm khóa học", intro: "Các trường có dấu * là bắt buộc.", action: "/courses/new", fields: CourseForm.fields,
                           state: state, submit: "Thêm khóa học", back: ("/courses", "Danh sách khóa học"), section: "courses",
                           context: context, status: status)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let created = try await WebAPI.call(self.api.createCourse, json: try CourseForm.json(posted), context: context)
            return WebRenderer.redirect("/courses/\(created.responseGenerator.id)?done=created")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: CourseForm.fields)
            return self.newPage(state: state, context: context, status: error.status)
        }
    }

    static let doneMessages = [
        "created": "Đã thêm khóa học.", "enrolled": "Đã ghi danh học viên.", "completed": "Đã ghi nhận học viên hoàn thành khóa học.",
        "support": "Đã ghi nhận hỗ trợ đào tạo.",
    ]
}
