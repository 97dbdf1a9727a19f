import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Employers: the list, registering one, and an employer's page with its vacancies, its API keys
/// (issued, rotated and revoked there; a new key is shown once, in the answer to the form, never in
/// a URL) and its webhooks with their recent deliveries. Writes go through the staff API's handlers.
struct EmployerPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let homeProvince: String
    /// The service's credential cache, forgotten at once when a key is revoked or rotated here. Without it
    /// (nil) a cached key still opens the employer API until the database's notice of the change
    /// (`jobmatch_credentials_changed`) reaches the listener, a moment after the commit.
    var credentialCache: CredentialCache? = nil

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

    /// The API's handlers, with a key store that clears `credentialCache` on a change.
    func api(_ context: AppRequestContext) -> EmployerRoutes {
        EmployerRoutes(client: self.client, credentials: CredentialStore(client: self.client, logger: context.logger, cache: self.credentialCache))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = Self.listLimit
        let today = LocalDate.today().description
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT e.id, e.name, e.tax_code, w.ward_name,
                       (SELECT count(*) FROM vacancies v WHERE v.employer_id = e.id AND v.status = 'open' AND v.closing_date >= \(today)::date)::int,
                       (count(*) OVER ())::int
                FROM employers e JOIN wards_2025 w ON w.ward_code = e.ward_code
                ORDER BY e.created_at DESC, e.id DESC LIMIT \(limit)
                """, logger: context.logger).decode((Int64, String, String, String, Int, Int).self).collect()
        }
        let total = rows.first?.5 ?? 0
        return self.renderer.page("employers", title: "Doanh nghiệp", context: context, values: [
            "rows": rows.map { id, name, tax, ward, open, _ -> [String: Any] in
                ["id": id, "name": name, "taxCode": tax, "ward": ward, "open": VietnameseFormat.number(open)]
            },
            "none": rows.isEmpty, "truncated": total > rows.count, "shown": VietnameseFormat.number(rows.count),
            "total": VietnameseFormat.number(total),
        ], section: "employers")
    }

    private func form(_ context: AppRequestContext) async throws -> EmployerForm {
        let province = self.homeProvince
        return try await self.client.withConnection { try await EmployerForm.load(province: province, on: $0, logger: context.logger) }
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.newPage(try await self.form(context), state: WebFormState(), context: context)
    }

    private func newPage(_ form: EmployerForm, state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(title: "Đăng ký doanh nghiệp", intro: "Các trường có dấu * là bắt buộc.", action: "/employers/new",
                           fields: form.fields, state: state, submit: "Đăng ký", back: ("/employers", "Danh sách doanh nghiệp"),
                           section: "employers", context: context, status: status)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let created = try await WebAPI.call(self.api(context).create, json: try EmployerForm.json(posted), context: context)
            return WebRenderer.redirect("/employers/\(created.responseGenerator.id)?done=created")
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
