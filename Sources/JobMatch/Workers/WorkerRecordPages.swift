import Foundation
import Hummingbird
import JobMatchCore

/// A worker's pages: register (`/workers/new`), the record with its household, consents, training,
/// referrals and placements (`/workers/{id}`), edit, and giving or withdrawing a consent. A form is
/// read into the same `WorkerInput` the staff API decodes and goes to the same `WorkerService`
/// call, so the rules, the messages and the audit are the API's.
struct WorkerRecordPages {
    let service: WorkerService
    let renderer: WebRenderer
    let homeTerritory: HomeTerritory

    var routes: [WebRoute] {
        [
            .get("workers/new", .writers, self.newForm),
            .post("workers/new", self.create),
            .get("workers/:id", self.show),
            .get("workers/:id/edit", .writers, self.editForm),
            .post("workers/:id/edit", self.edit),
            .post("workers/:id/consents", self.giveConsent),
            .post("workers/:id/consents/:consent/withdraw", self.withdrawConsent),
        ]
    }

    private func form(_ context: AppRequestContext) async throws -> WorkerForm {
        let choices = try await self.service.homeWards(self.homeTerritory, logger: context.logger)
        return WorkerForm(wards: choices.wards, legacyWards: choices.legacyWards)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await self.form(context)
        return self.registerPage(form, state: WebFormState(values: ["job_seeking_status": ["seeking"], "consents": ["referral"]]), context: context)
    }

    private func registerPage(_ form: WorkerForm, state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(
            title: "Đăng ký người lao động",
            intro: "Các trường có dấu * là bắt buộc. Cần chọn xã, phường mới hoặc xã, phường cũ.",
            action: "/workers/new",
            fields: form.fields(creating: true),
            state: state,
            submit: "Đăng ký",
            back: ("/workers", "Danh sách người lao động"),
            section: "workers",
            context: context,
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let input = try WorkerInput(form: posted, creating: true)
            let id = try await self.service.register(input, by: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/workers/\(id)?done=registered")
        } redisplay: { error in
            let form = try await self.form(context)
            var state = WebFormState(posted)
            state.add(error, fields: form.fields(creating: true))
            return self.registerPage(form, state: state, context: context, status: error.status)
        }
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let worker = try await self.service.view(
            id,
            role: try context.requireStaff().role,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return self.editPage(id, form: try await self.form(context), state: WorkerForm.state(worker), context: context)
    }

    private func editPage(
        _ id: Int64,
        form: WorkerForm,
        state: WebFormState,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        self.renderer.form(
            title: "Sửa thông tin người lao động",
            action: "/workers/\(id)/edit",
            fields: form.fields(creating: false),
            state: state,
            submit: "Lưu thay đổi",
            back: ("/workers/\(id)", "Hồ sơ người lao động"),
            section: "workers",
            context: context,
            status: status
        )
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let input = try WorkerInput(form: posted, creating: false)
            _ = try await self.service.edit(id, role: try context.requireStaff().role, by: try context.requirePrincipal(), logger: context.logger) {
                stored in
                // The form has no preferred areas: they stay as stored.
                var changed = input
                changed.preferredWardCodes = stored.preferredWardCodes
                changed.preferredLegacyDistrictCodes = stored.preferredLegacyDistrictCodes
                return changed
            }
            return WebRenderer.redirect("/workers/\(id)?done=saved")
        } redisplay: { error in
            let form = try await self.form(context)
            var state = WebFormState(posted)
            state.add(error, fields: form.fields(creating: false))
            return self.editPage(id, form: form, state: state, context: context, status: error.status)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        // Masked for the role, and the read is audited, as through the API.
        let worker = try await self.service.view(
            id,
            role: try context.requireStaff().role,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        let history = try await self.service.history(of: worker, logger: context.logger)
        var values = WorkerRecord(worker, history: history).values
        values["done"] = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        values["consentPurposes"] = WebLabels.consentPurpose.map { ["value": $0.0, "text": $0.1] }
        values["consentMeans"] = WebLabels.consentMeans.map { ["value": $0.0, "text": $0.1] }
        return self.renderer.page("worker", title: worker.fullName, context: context, values: values, section: "workers")
    }

    static let doneMessages = [
        "registered": "Đã đăng ký người lao động.", "saved": "Đã lưu thay đổi.", "consent": "Đã ghi nhận sự đồng ý.",
        "withdrawn": "Đã ghi nhận việc rút lại sự đồng ý.", "merged": "Đã gộp hồ sơ trùng vào hồ sơ này.",
    ]

    @Sendable func giveConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        _ = try await self.service.giveConsent(
            to: id,
            purpose: posted.text("purpose") ?? "",
            means: posted.text("means") ?? "",
            givenAt: nil,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return WebRenderer.redirect("/workers/\(id)?done=consent")
    }

    @Sendable func withdrawConsent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let consent = try context.parameters.require("consent", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        _ = try await self.service.withdrawConsent(
            consent,
            of: id,
            means: posted.text("means") ?? "in_person",
            withdrawnAt: nil,
            by: try context.requirePrincipal(),
            logger: context.logger
        )
        return WebRenderer.redirect("/workers/\(id)?done=withdrawn")
    }
}
