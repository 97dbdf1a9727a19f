import Foundation
import Hummingbird
import JobMatchCore

/// Training: the courses (newest first), a new course, and a course's page with its learners, where
/// officers enrol a worker, record a completion and the training support. A form is read into the
/// input the staff API decodes and goes to the same `TrainingService` call: same rules, messages, audit.
struct TrainingPages {
    let service: TrainingService
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

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (courses, total) = try await self.service.courses(limit: Self.listLimit, logger: context.logger)
        return self.renderer.page(
            "courses",
            title: "Đào tạo nghề",
            context: context,
            values: [
                "rows": courses.map { course -> [String: Any] in
                    [
                        "id": course.id, "title": course.title,
                        "occupation": WebLabels.occupationNamed(course.occupationCode, title: course.occupationTitle),
                        "level": WebLabels.word(course.level, in: WebLabels.courseLevel), "start": WebDates.display(course.startDate),
                        "end": WebDates.display(course.endDate), "seats": VietnameseFormat.number(course.seats),
                        "enrolled": VietnameseFormat.number(course.enrolled), "full": course.enrolled >= course.seats,
                    ]
                },
                "none": courses.isEmpty, "truncated": total > courses.count, "shown": VietnameseFormat.number(courses.count),
                "total": VietnameseFormat.number(total),
            ],
            section: "courses"
        )
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.newPage(state: WebFormState(), context: context)
    }

    private func newPage(state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(
            title: "Thêm khóa học",
            intro: "Các trường có dấu * là bắt buộc.",
            action: "/courses/new",
            fields: CourseForm.fields,
            state: state,
            submit: "Thêm khóa học",
            back: ("/courses", "Danh sách khóa học"),
            section: "courses",
            context: context,
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let id = try await self.service.createCourse(try CourseInput(form: posted), by: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/courses/\(id)?done=created")
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
