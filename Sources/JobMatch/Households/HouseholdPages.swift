import Foundation
import Hummingbird
import JobMatchCore

/// A household's pages: register one with its first status (`/households/new`), the household with
/// its status history and members (`/households/{id}`), and recording a new status. A form is read
/// into the input the staff API decodes and goes to the same `HouseholdService` call: its rules on
/// periods, its messages, its audit.
struct HouseholdPages {
    let service: HouseholdService
    let workers: WorkerService
    let renderer: WebRenderer
    let homeTerritory: HomeTerritory

    var routes: [WebRoute] {
        [
            .get("households/new", .writers, self.newForm),
            .post("households/new", self.create),
            .get("households/:id", self.show),
            .post("households/:id/statuses", self.addStatus),
        ]
    }

    static let doneMessages = [
        "registered": "Đã đăng ký hộ gia đình.",
        "status": "Đã ghi nhận tình trạng mới của hộ.",
    ]

    private func wards(_ context: AppRequestContext) async throws -> WorkerForm {
        let choices = try await self.workers.homeWards(self.homeTerritory, logger: context.logger)
        return WorkerForm(wards: choices.wards, legacyWards: choices.legacyWards)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.registerPage(try await self.wards(context), state: WebFormState(values: ["status": ["poor"]]), context: context)
    }

    private func registerPage(_ wards: WorkerForm, state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(
            title: "Đăng ký hộ gia đình",
            intro:
                "Các trường có dấu * là bắt buộc. Cần chọn xã, phường mới hoặc xã, phường cũ. Tình trạng đầu tiên là tình trạng theo quyết định công nhận gần nhất.",
            action: "/households/new",
            fields: HouseholdForm.fields(wards),
            state: state,
            submit: "Đăng ký hộ",
            back: ("/workers", "Người lao động"),
            section: "workers",
            context: context,
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let id = try await self.service.register(try HouseholdInput(form: posted), by: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/households/\(id)?done=registered")
        } redisplay: { error in
            let wards = try await self.wards(context)
            var state = WebFormState(posted)
            state.add(error, fields: HouseholdForm.fields(wards))
            return self.registerPage(wards, state: state, context: context, status: error.status)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let record = try await self.service.record(id, by: try context.requirePrincipal(), logger: context.logger)
        return self.page(record, request: request, state: WebFormState(), context: context)
    }

    private func page(
        _ record: HouseholdRecord,
        request: Request,
        state: WebFormState,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = HouseholdForm.values(record)
        values["done"] = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        values["statusForm"] =
            [
                "action": "/households/\(record.id)/statuses", "fields": state.render(HouseholdForm.statusFields),
                "message": state.message ?? "", "submit": "Ghi nhận tình trạng",
            ] as [String: Any]
        return self.renderer.page(
            "household",
            title: "Hộ \(record.headName)",
            context: context,
            values: values,
            section: "workers",
            status: status
        )
    }

    @Sendable func addStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await self.service.addStatus(
                to: id,
                try HouseholdStatusInput(form: posted),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/households/\(id)?done=status")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: HouseholdForm.statusFields)
            let record = try await self.service.record(id, by: try context.requirePrincipal(), logger: context.logger)
            return self.page(record, request: request, state: state, context: context, status: error.status)
        }
    }
}
