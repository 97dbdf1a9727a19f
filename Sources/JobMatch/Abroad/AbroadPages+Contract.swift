import Foundation
import Hummingbird
import JobMatchCore

/// A contract to work abroad: the new-contract form, the contract's page, its departure and early return.
extension AbroadPages {
    private func form(_ context: AppRequestContext) async throws -> OverseasContractForm {
        OverseasContractForm(enterprises: try await self.service.enterpriseChoices(logger: context.logger))
    }

    /// `?worker=12` fills in the worker (an id, never a name).
    @Sendable func newContractForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        var values: [String: [String]] = [:]
        if let worker = request.uri.queryParameters.get("worker").flatMap({ Int64($0) }) { values["worker_id"] = ["\(worker)"] }
        return self.contractFormPage(try await self.form(context), state: WebFormState(values: values), context: context)
    }

    private func contractFormPage(
        _ form: OverseasContractForm,
        state: WebFormState,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        self.renderer.form(
            title: "Ghi nhận hợp đồng đi làm việc ở nước ngoài",
            intro: "Người lao động phải đủ 18 tuổi vào ngày xuất cảnh. Các trường có dấu * là bắt buộc.",
            action: "/abroad/contracts/new",
            fields: form.fields,
            state: state,
            submit: "Ghi nhận hợp đồng",
            back: ("/abroad", "Đi làm việc ở nước ngoài"),
            section: "abroad",
            context: context,
            status: status
        )
    }

    @Sendable func createContract(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let id = try await self.service.addContract(
                try OverseasContractInput(form: posted),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/abroad/contracts/\(id)?done=created")
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
    func contractPage(
        _ id: Int64,
        done: String = "",
        departure: WebFormState = WebFormState(),
        return back: WebFormState = WebFormState(),
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let contract = try await self.service.contract(id, logger: context.logger)
        let departed = contract.departureDate ?? ""
        let returned = contract.earlyReturnDate ?? ""
        var values: [String: Any] = [
            "contractId": id, "worker": contract.workerID, "name": contract.workerName, "enterprise": contract.enterpriseName ?? "",
            "licence": contract.licenceNumber ?? "", "country": CountryNames.vietnamese(contract.country), "countryCode": contract.country,
            "occupation": WebLabels.occupation(contract.occupationCode), "term": contract.termMonths,
            "signed": WebDates.display(contract.contractDate),
            "planned": WebDates.display(contract.plannedDeparture), "departed": WebDates.display(departed), "returned": WebDates.display(returned),
            "reason": contract.earlyReturnReason ?? "", "fee": WebLabels.money(contract.feeVND), "deposit": WebLabels.money(contract.depositVND),
            "loan": WebLabels.word(contract.loanSource, in: WebLabels.loanSource), "created": contract.createdOn, "done": done,
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
            _ = try await self.service.depart(id, on: date, by: try context.requirePrincipal(), logger: context.logger)
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
            try await self.service.earlyReturn(id, try EarlyReturnInput(form: posted), by: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/abroad/contracts/\(id)?done=returned")
        } redisplay: { error in
            var state = WebFormState(posted)
            state.add(error, fields: OverseasContractForm.returnFields)
            return try await self.contractPage(id, return: state, context: context, status: error.status)
        }
    }
}
