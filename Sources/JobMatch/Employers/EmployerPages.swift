import Foundation
import Hummingbird
import JobMatchCore
import PostgresNIO

/// Employers: the list, registering one, and an employer's page with its vacancies, its API keys
/// (issued, rotated and revoked there; a new key is shown once, in the answer to the form, never in
/// a URL) and its webhooks with their recent deliveries. A form is read into the input the staff API
/// decodes and goes to the same `EmployerService` call. The service's credential cache (when it has
/// one) forgets a key revoked or rotated here at once; without it a cached key still opens the
/// employer API until the database's notice of the change reaches the listener, a moment after the commit.
struct EmployerPages {
    let service: EmployerService
    let workers: WorkerService
    /// The staff API's webhook deliveries, until webhooks have a service of their own.
    let client: PostgresClient
    let renderer: WebRenderer
    let homeTerritory: HomeTerritory

    /// At most this many employers on the list.
    static let listLimit = 200

    var routes: [WebRoute] {
        [
            .get("employers", self.list),
            .get("employers/new", .writers, self.newForm),
            .post("employers/new", self.create),
            .get("employers/:id", self.show),
            .post("employers/:id/keys", self.issueKey),
            .post("employers/:id/keys/:key/revoke", self.revokeKey),
            .post("employers/:id/keys/:key/rotate", self.rotateKey),
        ]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (rows, total) = try await self.service.employers(limit: Self.listLimit, logger: context.logger)
        return self.renderer.page(
            "employers",
            title: "Doanh nghiệp",
            context: context,
            values: [
                "rows": rows.map { employer -> [String: Any] in
                    [
                        "id": employer.id, "name": employer.name, "taxCode": employer.taxCode, "ward": employer.wardName,
                        "open": VietnameseFormat.number(employer.openVacancies),
                    ]
                },
                "none": rows.isEmpty, "truncated": total > rows.count, "shown": VietnameseFormat.number(rows.count),
                "total": VietnameseFormat.number(total),
            ],
            section: "employers"
        )
    }

    private func form(_ context: AppRequestContext) async throws -> EmployerForm {
        EmployerForm(wards: try await self.workers.homeWards(self.homeTerritory, logger: context.logger).wards)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.newPage(try await self.form(context), state: WebFormState(), context: context)
    }

    private func newPage(_ form: EmployerForm, state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(
            title: "Đăng ký doanh nghiệp",
            intro: "Các trường có dấu * là bắt buộc.",
            action: "/employers/new",
            fields: form.fields,
            state: state,
            submit: "Đăng ký",
            back: ("/employers", "Danh sách doanh nghiệp"),
            section: "employers",
            context: context,
            status: status
        )
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let id = try await self.service.register(try EmployerInput(form: posted), by: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/employers/\(id)?done=created")
        } redisplay: { error in
            let form = try await self.form(context)
            var state = WebFormState(posted)
            state.add(error, fields: form.fields)
            return self.newPage(form, state: state, context: context, status: error.status)
        }
    }

    static let doneMessages = [
        "created": "Đã đăng ký doanh nghiệp.", "revoked": "Đã thu hồi khóa API: khóa này không dùng được nữa.",
    ]
}
