import Foundation
import Hummingbird
import JobMatchCore

/// `/job-fairs/{id}/walk-in`: registering a worker who came to a session without a record, with the
/// usual registration form and rules, and checking them in in the same transaction.
struct JobFairWalkInPage {
    let service: JobFairService
    let workers: WorkerService
    let renderer: WebRenderer
    let homeTerritory: HomeTerritory

    var routes: [WebRoute] {
        [.get("job-fairs/:id/walk-in", .writers, self.form), .post("job-fairs/:id/walk-in", self.register)]
    }

    private func workerForm(_ context: AppRequestContext) async throws -> WorkerForm {
        let choices = try await self.workers.homeWards(self.homeTerritory, logger: context.logger)
        return WorkerForm(wards: choices.wards, legacyWards: choices.legacyWards)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let fair = try await self.service.detail(id, logger: context.logger).jobFair
        return self.page(
            id,
            fair: fair,
            form: try await self.workerForm(context),
            state: WebFormState(values: ["job_seeking_status": ["seeking"], "consents": ["referral"]]),
            context: context
        )
    }

    private func page(
        _ id: Int64,
        fair: JobFairView.Summary,
        form: WorkerForm,
        state: WebFormState,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        self.renderer.form(
            title: "Đăng ký tại chỗ",
            heading: "Đăng ký tại chỗ: \(fair.title)",
            intro: "Người lao động chưa có hồ sơ: đăng ký theo quy định thông thường và ghi vào phiên cùng lúc. Các trường có dấu * là bắt buộc.",
            action: "/job-fairs/\(id)/walk-in",
            fields: form.fields(creating: true),
            state: state,
            submit: "Đăng ký và ghi vào phiên",
            back: ("/job-fairs/\(id)", "Về phiên giao dịch việc làm"),
            section: "jobfairs",
            context: context,
            status: status
        )
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let input = try WorkerInput(form: posted, creating: true)
            _ = try await self.service.checkIn(id, JobFairCheckIn(walkIn: input), actor: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/job-fairs/\(id)?done=checked_in")
        } redisplay: { error in
            let fair = try await self.service.detail(id, logger: context.logger).jobFair
            let form = try await self.workerForm(context)
            var state = WebFormState(posted)
            state.add(error, fields: form.fields(creating: true))
            return self.page(id, fair: fair, form: form, state: state, context: context, status: error.status)
        }
    }
}
