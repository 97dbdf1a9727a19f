import Foundation
import Hummingbird
import JobMatchCore

/// A course's page and its forms: enrol a worker, record a completion, record the training support.
extension TrainingPages {
    /// A form of the page that was refused, shown again with what was typed and the message.
    struct Refused {
        var enrol = WebFormState()
        /// A learner's row form: which enrolment, which form (`complete` or `support`), what was typed and the error.
        var row: (enrolment: Int64, form: String, state: WebFormState, field: String?)? = nil
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let done = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        return try await self.coursePage(id, done: done, refused: Refused(), context: context)
    }

    func coursePage(
        _ id: Int64,
        done: String = "",
        refused: Refused,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let record = CourseRecord(try await self.service.course(id, logger: context.logger))
        var values = record.values
        values["done"] = done
        values["enrolFields"] = refused.enrol.render(CourseForm.enrolFields)
        values["enrolMessage"] = refused.enrol.message ?? ""
        var alert = ""
        let rows = record.rows.map { row -> [String: Any] in
            var row = row
            let failed = refused.row.flatMap { $0.enrolment == row["id"] as? Int64 ? $0 : nil }
            let typed = { (name: String) in failed?.state.values[name]?.first ?? "" }
            if let failed {
                if row[failed.form == "complete" ? "canComplete" : "canSupport"] as? Bool == true {
                    row[failed.form + "Error"] = failed.state.message ?? ""
                    if let field = failed.field { row["invalid_" + field] = true }
                } else {
                    // The row no longer offers that form (recorded meanwhile): the message above the page.
                    alert = failed.state.message ?? ""
                }
            }
            row["v_certificate_number"] = typed("certificate_number")
            row["v_completed_on"] = typed("completed_on")
            row["v_amount_vnd"] = typed("amount_vnd")
            row["v_decided_on"] = typed("decided_on")
            row["basisOptions"] = WebLabels.supportBasis.map { ["value": $0.0, "text": $0.1, "selected": typed("basis") == $0.0] }
            return row
        }
        values["enrolments"] = rows
        values["alert"] = alert
        return self.renderer.page(
            "course",
            title: record.values["courseTitle"] as? String ?? "Khóa học",
            context: context,
            values: values,
            section: "courses",
            status: status
        )
    }

    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let worker = try posted.requiredInteger("worker_id", label: "Mã hồ sơ người lao động")
            _ = try await self.service.enrol(
                EnrolmentInput(courseId: id, workerId: worker),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/courses/\(id)?done=enrolled")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: CourseForm.enrolFields)
            return try await self.coursePage(id, refused: Refused(enrol: state), context: context, status: error.status)
        }
    }

    @Sendable func complete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        let enrolment = try await self.enrolment(of: id, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await self.service.complete(
                enrolment,
                try CompletionInput(form: posted),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/courses/\(id)?done=completed")
        } redisplay: { error in
            try await self.refusedRow(id, enrolment: enrolment, form: "complete", posted: posted, error: error, context: context)
        }
    }

    @Sendable func grantSupport(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        let enrolment = try await self.enrolment(of: id, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await self.service.grantSupport(
                try TrainingSupportInput(form: posted, enrolment: enrolment),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/courses/\(id)?done=support")
        } redisplay: { error in
            try await self.refusedRow(id, enrolment: enrolment, form: "support", posted: posted, error: error, context: context)
        }
    }

    private func refusedRow(
        _ id: Int64,
        enrolment: Int64,
        form: String,
        posted: WebForm,
        error: AppError,
        context: AppRequestContext
    ) async throws -> Response {
        var state = WebFormState(posted)
        state.message = error.detail ?? error.title
        let field = error.field.map { String($0.prefix { $0 != "[" && $0 != "." }) }
        return try await self.coursePage(id, refused: Refused(row: (enrolment, form, state, field)), context: context, status: error.status)
    }

    /// The enrolment named in the path, which must be one of this course's.
    private func enrolment(of course: Int64, context: AppRequestContext) async throws -> Int64 {
        let enrolment = try context.parameters.require("enrolment", as: Int64.self)
        guard try await self.service.enrolment(enrolment, belongsTo: course, logger: context.logger) else {
            throw AppError.notFound("lượt ghi danh \(enrolment) của khóa học \(course)")
        }
        return enrolment
    }
}
