import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// A household's pages: register one with its first status (`/households/new`), the household with
/// its status history and members (`/households/{id}`), and recording a new status. Writes go
/// through the staff API's handlers (`HouseholdRoutes`): its rules on periods, its messages, its audit.
struct HouseholdPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let homeProvince: String

    var routes: [WebRoute] {
        [
            .get("households/new", .writers, self.newForm),
            .post("households/new", self.create),
            .get("households/:id", self.show),
            .post("households/:id/statuses", self.addStatus),
        ]
    }

    private var api: HouseholdRoutes { HouseholdRoutes(client: self.client) }

    static let doneMessages = [
        "registered": "Đã đăng ký hộ gia đình.",
        "status": "Đã ghi nhận tình trạng mới của hộ.",
    ]

    private func wards(_ context: AppRequestContext) async throws -> WorkerForm {
        let province = self.homeProvince
        return try await self.client.withConnection { try await WorkerForm.load(province: province, on: $0, logger: context.logger) }
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.registerPage(try await self.wards(context), state: WebFormState(values: ["status": ["poor"]]), context: context)
    }

    private func registerPage(_ wards: WorkerForm, state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(title: "Đăng ký hộ gia đình",
                           intro: "Các trường có dấu * là bắt buộc. Cần chọn xã, phường mới hoặc xã, phường cũ. Tình trạng đầu tiên là tình trạng theo quyết định công nhận gần nhất.",
                           action: "/households/new", fields: HouseholdForm.fields(wards), state: state, submit: "Đăng ký hộ",
                           back: ("/workers", "Người lao động"), section: "workers", context: context, status: status)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let created = try await WebAPI.call(self.api.create, json: try HouseholdForm.json(posted), context: context)
            return WebRenderer.redirect("/households/\(created.responseGenerator.id)?done=registered")
        } redisplay: { error in
            let wards = try await self.wards(context)
            var state = WebFormState(posted)
            state.add(error, fields: HouseholdForm.fields(wards))
            return self.registerPage(wards, state: state, context: context, status: error.status)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let values = try await self.record(id, context: context)
        return self.page(values, request: request, state: WebFormState(), context: context)
    }

    private func page(_ record: [String: Any], request: Request, state: WebFormState, context: AppRequestContext,
                      status: HTTPResponse.Status = .ok) -> Response {
        var values = record
        values["done"] = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        values["statusForm"] = [
            "action": "/households/\(record["id"] ?? 0)/statuses", "fields": state.render(HouseholdForm.statusFields),
            "message": state.message ?? "", "submit": "Ghi nhận tình trạng",
        ] as [String: Any]
        return self.renderer.page("household", title: "Hộ \(record["head"] ?? "")", context: context, values: values, section: "workers",
                                  status: status)
    }

    @Sendable func addStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await WebAPI.call(self.api.addStatus, json: try HouseholdForm.statusJSON(posted), parameters: ["id": "\(id)"], context: context)
            return WebRenderer.redirect("/households/\(id)?done=status")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: HouseholdForm.statusFields)
            return self.page(try await self.record(id, context: context), request: request, state: state, context: context, status: error.status)
        }
    }

    /// The household, its statuses (newest first, the one in force today marked) and its members; 404
    /// when there is none. Showing it is a sensitive read (a family's poverty status): audited.
    private func record(_ id: Int64, context: AppRequestContext) async throws -> [String: Any] {
        let logger = context.logger
        let today = LocalDate.today().description
        return try await self.client.withTransaction(logger: logger) { connection in
            guard let (head, ward, legacy, address, code) = try await connection.query(
                """
                SELECT h.head_name, w.ward_name || ' (' || w.ward_code || ')',
                       coalesce(lw.ward_name || ', ' || lw.district_name || ' (' || lw.ward_code || ')', ''),
                       coalesce(h.address, ''), coalesce(h.household_code, '')
                FROM households h JOIN wards_2025 w ON w.ward_code = h.ward_code LEFT JOIN legacy_wards lw ON lw.ward_code = h.legacy_ward_code
                WHERE h.id = \(id)
                """, logger: logger).decode((String, String, String, String, String).self).collect().first
            else { throw AppError.notFound("hộ gia đình \(id)") }
            let statuses = try await connection.query(
                """
                SELECT status, valid_from::text, coalesce(valid_to::text, ''), standard, coalesce(decision_ref, ''),
                       valid_from <= \(today)::date AND (valid_to IS NULL OR valid_to >= \(today)::date)
                FROM household_statuses WHERE household_id = \(id) ORDER BY valid_from DESC
                """, logger: logger).decode((String, String, String, String, String, Bool).self).collect()
            let members = try await connection.query(
                """
                SELECT id, full_name, extract(year FROM birth_date)::int, sex, anonymised_at IS NOT NULL FROM workers
                WHERE household_id = \(id) AND merged_into IS NULL ORDER BY birth_date, id
                """, logger: logger).decode((Int64, String, Int, String, Bool).self).collect()
            try await AuditLog.record(on: connection, actor: context.principal, action: "view", entity: "household", entityID: id, logger: logger)
            let current = statuses.first { $0.5 }.map { WebLabels.householdStatusWord($0.0) } ?? "Chưa có tình trạng đang có hiệu lực"
            return [
                "id": id, "head": head, "ward": ward, "legacyWard": legacy, "address": address, "code": code, "current": current,
                "statuses": statuses.map { status, from, to, standard, decision, inForce -> [String: Any] in
                    ["status": WebLabels.householdStatusWord(status), "from": WebDates.display(from), "to": to.isEmpty ? "nay" : WebDates.display(to),
                     "standard": WebLabels.word(standard, in: WebLabels.householdStandard), "decision": decision, "inForce": inForce]
                },
                "hasStatuses": !statuses.isEmpty,
                "members": members.map { worker, name, year, sex, anonymised -> [String: Any] in
                    ["worker": worker, "name": name, "year": year, "sex": WebLabels.word(sex, in: WebLabels.sex), "anonymised": anonymised]
                },
                "hasMembers": !members.isEmpty,
            ]
        }
    }
}
