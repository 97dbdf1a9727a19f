import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// A contract to work abroad: the new-contract form, the contract's page, its departure and early return.
extension AbroadPages {
    private func form(_ context: AppRequestContext) async throws -> OverseasContractForm {
        try await self.client.withConnection { try await OverseasContractForm.load(on: $0, logger: context.logger) }
    }

    /// `?worker=12` fills in the worker (an id, never a name).
    @Sendable func newContractForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        var values: [String: [String]] = [:]
        if let worker = request.uri.queryParameters.get("worker").flatMap({ Int64($0) }) { values["worker_id"] = ["\(worker)"] }
        return self.contractFormPage(try await self.form(context), state: WebFormState(values: values), context: context)
    }

    private func contractFormPage(_ form: OverseasContractForm, state: WebFormState, context: AppRequestContext,
                                  status: HTTPResponse.Status = .ok) -> Response {
        self.renderer.form(title: "Ghi nhận hợp đồng đi làm việc ở nước ngoài",
                           intro: "Người lao động phải đủ 18 tuổi vào ngày xuất cảnh. Các trường có dấu * là bắt buộc.",
                           action: "/abroad/contracts/new", fields: form.fields, state: state, submit: "Ghi nhận hợp đồng",
                           back: ("/abroad", "Đi làm việc ở nước ngoài"), section: "abroad", context: context, status: status)
    }

    @Sendable func createContract(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let created = try await WebAPI.call(self.contracts.create, json: try OverseasContractForm.json(posted), context: context)
            return WebRenderer.redirect("/abroad/contracts/\(created.responseGenerator.id)?done=created")
        } redisplay: { error in
            let form = try await self.form(context)
            var state = WebFormState(posted)
            state.add(error, fields: form.fields)
            return self.contractFormPage(form, state: state, context: context, status: error.status)
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let done = Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        return try await self.contractPage(id, done: done, context: context)
    }

    /// The contract's page; `departure` or `return` is a refused form shown again.
    func contractPage(_ id: Int64, done: String = "", departure: WebFormState = WebFormState(), return back: WebFormState = WebFormState(),
                      context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let logger = context.logger
        typealias Row = (Int64, String, String, String, String, String, Int, String, String, String, String, String, Int64?, Int64?, String, String)
        guard let row = try await self.client.withConnection({ connection in
            try await connection.query(
                """
                SELECT c.worker_id, w.full_name, coalesce(e.name, ''), coalesce(e.licence_number, ''), c.country, c.occupation_code, c.term_months,
                       c.contract_date::text, c.planned_departure::text, coalesce(c.departure_date::text, ''),
                       coalesce(c.early_return_date::text, ''), coalesce(c.early_return_reason, ''), c.fee_vnd, c.deposit_vnd,
                       coalesce(c.loan_source, ''), to_char(c.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                FROM overseas_contracts c JOIN workers w ON w.id = c.worker_id LEFT JOIN overseas_enterprises e ON e.id = c.enterprise_id
                WHERE c.id = \(id)
                """, logger: logger).decode(Row.self).first(where: { _ in true })
        }) else { throw AppError.notFound("hợp đồng \(id)") }
        let (worker, name, enterprise, licence, country, occupation, term, signed, planned, departed, returned, reason, fee, deposit, loan, created) = row
        var values: [String: Any] = [
            "contractId": id, "worker": worker, "name": name, "enterprise": enterprise, "licence": licence,
            "country": CountryNames.vietnamese(country), "countryCode": country, "occupation": WebLabels.occupation(occupation),
            "term": term, "signed": WebDates.display(signed), "planned": WebDates.display(planned), "departed": WebDates.display(departed),
            "returned": WebDates.display(returned), "reason": reason, "fee": WebLabels.money(fee), "deposit": WebLabels.money(deposit),
            "loan": WebLabels.word(loan.isEmpty ? nil : loan, in: WebLabels.loanSource), "created": created, "done": done,
            "canDepart": departed.isEmpty, "canReturn": !departed.isEmpty && returned.isEmpty,
            "departureFields": departure.render(OverseasContractForm.departureFields), "departureMessage": departure.message ?? "",
            "returnFields": back.render(OverseasContractForm.returnFields), "returnMessage": back.message ?? "",
        ]
        values.merge(Self.status(departed: departed, returned: returned)) { _, new in new }
        // A refused form that the contract's state no longer offers (recorded meanwhile): its message above the page.
        for (state, shown) in [(departure, departed.isEmpty), (back, !departed.isEmpty && returned.isEmpty)] where !shown {
            if let text = state.message ?? state.errors.values.first { values["alert"] = text }
        }
        return self.renderer.page("abroad_contract", title: "Hợp đồng số \(id)", context: context, values: values, section: "abroad", status: status)
    }

    @Sendable func depart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let date = try posted.requiredDate("departure_date", label: "Ngày xuất cảnh")
            _ = try await WebAPI.call(self.contracts.depart, json: ["departure_date": date], parameters: ["id": "\(id)"], context: context)
            return WebRenderer.redirect("/abroad/contracts/\(id)?done=departed")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: OverseasContractForm.departureFields)
            return try await self.contractPage(id, departure: state, context: context, status: error.status)
        }
    }

    @Sendable func earlyReturn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let body: [String: Any] = [
                "return_date": try posted.requiredDate("return_date", label: "Ngày về nước"),
                "reason": try posted.required("reason", "Hãy nhập lý do về nước trước hạn."),
            ]
            _ = try await WebAPI.call(self.contracts.earlyReturn, json: body, parameters: ["id": "\(id)"], context: context)
            return WebRenderer.redirect("/abroad/contracts/\(id)?done=returned")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: OverseasContractForm.returnFields)
            return try await self.contractPage(id, return: state, context: context, status: error.status)
        }
    }
}
