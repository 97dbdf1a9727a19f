import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Labour abroad under contract (Law 69/2020): the contracts and the licensed enterprises, a new
/// enterprise, a new contract, and a contract's page where officers record the departure (the
/// counted event) and an early return. Writes go through the staff API's handlers.
struct AbroadPages {
    let client: PostgresClient
    let renderer: WebRenderer

    /// At most this many contracts on the list.
    static let listLimit = 200

    var routes: [WebRoute] {
        [
            .get("abroad", self.list),
            .get("abroad/enterprises/new", .writers, self.newEnterpriseForm),
            .post("abroad/enterprises/new", self.createEnterprise),
            .get("abroad/contracts/new", .writers, self.newContractForm),
            .post("abroad/contracts/new", self.createContract),
            .get("abroad/contracts/:id", self.show),
            .post("abroad/contracts/:id/departure", self.depart),
            .post("abroad/contracts/:id/early-return", self.earlyReturn),
        ]
    }

    var contracts: OverseasContractRoutes { OverseasContractRoutes(client: self.client) }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let limit = Self.listLimit
        let logger = context.logger
        let (contracts, enterprises) = try await self.client.withConnection { connection in
            (try await connection.query(
                """
                SELECT c.id, c.worker_id, w.full_name, coalesce(e.name, ''), c.country, c.occupation_code, c.contract_date::text, c.term_months,
                       c.planned_departure::text, coalesce(c.departure_date::text, ''), coalesce(c.early_return_date::text, ''),
                       (count(*) OVER ())::int
                FROM overseas_contracts c JOIN workers w ON w.id = c.worker_id LEFT JOIN overseas_enterprises e ON e.id = c.enterprise_id
                ORDER BY c.created_at DESC, c.id DESC LIMIT \(limit)
                """, logger: logger).decode((Int64, Int64, String, String, String, String, String, Int, String, String, String, Int).self).collect(),
             try await connection.query(
                """
                SELECT e.id, e.name, e.licence_number, e.licence_valid_from::text, coalesce(e.licence_valid_to::text, ''),
                       (SELECT count(*) FROM overseas_contracts c WHERE c.enterprise_id = e.id)::int
                FROM overseas_enterprises e ORDER BY e.name, e.id LIMIT 500
                """, logger: logger).decode((Int64, String, String, String, String, Int).self).collect())
        }
        let today = LocalDate.today().description
        let total = contracts.first?.11 ?? 0
        return self.renderer.page("abroad", title: "Đi làm việc ở nước ngoài", context: context, values: [
            "done": Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? "",
            "contracts": contracts.map { id, worker, name, enterprise, country, occupation, signed, term, planned, departed, returned, _ -> [String: Any] in
                var row: [String: Any] = [
                    "id": id, "worker": worker, "name": name, "enterprise": enterprise, "country": CountryNames.vietnamese(country),
                    "occupation": WebLabels.occupation(occupation), "signed": WebDates.display(signed), "term": term,
                    "planned": WebDates.display(planned), "departed": WebDates.display(departed),
                ]
                row.merge(Self.status(departed: departed, returned: returned)) { _, new in new }
                return row
            },
            "hasContracts": !contracts.isEmpty, "truncated": total > contracts.count, "shown": VietnameseFormat.number(contracts.count),
            "total": VietnameseFormat.number(total),
            "enterprises": enterprises.map { id, name, licence, from, to, count -> [String: Any] in
                ["id": id, "name": name, "licence": licence, "from": WebDates.display(from), "to": WebDates.display(to),
                 "valid": from <= today && (to.isEmpty || to >= today), "contracts": VietnameseFormat.number(count)]
            },
            "hasEnterprises": !enterprises.isEmpty,
        ], section: "abroad")
    }

    /// The contract's state in words, with the badge class that marks it.
    static func status(departed: String, returned: String) -> [String: Any] {
        if !returned.isEmpty { return ["status": "Về nước trước hạn", "badge": "warn"] }
        if !departed.isEmpty { return ["status": "Đã xuất cảnh", "badge": "ok"] }
        return ["status": "Chờ xuất cảnh", "badge": ""]
    }

    @Sendable func newEnterpriseForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.enterprisePage(state: WebFormState(), context: context)
    }

    private func enterprisePage(state: WebFormState, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(title: "Thêm doanh nghiệp dịch vụ", intro: "Doanh nghiệp được cấp giấy phép đưa người lao động đi làm việc ở nước ngoài. Các trường có dấu * là bắt buộc.",
                           action: "/abroad/enterprises/new", fields: OverseasContractForm.enterpriseFields, state: state, submit: "Thêm doanh nghiệp",
                           back: ("/abroad", "Đi làm việc ở nước ngoài"), section: "abroad", context: context, status: status)
    }

    @Sendable func createEnterprise(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await WebAPI.call(OverseasEnterpriseRoutes(client: self.client).create, json: try OverseasContractForm.enterpriseJSON(posted),
                                      context: context)
            return WebRenderer.redirect("/abroad?done=enterprise")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: OverseasContractForm.enterpriseFields)
            return self.enterprisePage(state: state, context: context, status: error.status)
        }
    }

    static let doneMessages = [
        "enterprise": "Đã thêm doanh nghiệp dịch vụ.", "created": "Đã ghi nhận hợp đồng.",
        "departed": "Đã ghi nhận xuất cảnh; người lao động được tính vào kết quả giải quyết việc làm.",
        "returned": "Đã ghi nhận người lao động về nước trước hạn.",
    ]
}
