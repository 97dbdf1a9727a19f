import Foundation
import Hummingbird
import JobMatchCore

/// Labour abroad under contract (Law 69/2020): the contracts and the licensed enterprises, a new
/// enterprise, a new contract, and a contract's page where officers record the departure (the
/// counted event) and an early return. A form is read into the input the staff API decodes and
/// goes to the same `AbroadService` call.
struct AbroadPages {
    let service: AbroadService
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

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (contracts, total, enterprises) = try await self.service.overview(limit: Self.listLimit, logger: context.logger)
        let today = LocalDate.today().description
        return self.renderer.page(
            "abroad",
            title: "Đi làm việc ở nước ngoài",
            context: context,
            values: [
                "done": Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? "",
                "contracts": contracts.map { contract -> [String: Any] in
                    var row: [String: Any] = [
                        "id": contract.id, "worker": contract.workerID, "name": contract.workerName, "enterprise": contract.enterpriseName ?? "",
                        "country": CountryNames.vietnamese(contract.country), "occupation": WebLabels.occupation(contract.occupationCode),
                        "signed": WebDates.display(contract.contractDate), "term": contract.termMonths,
                        "planned": WebDates.display(contract.plannedDeparture),
                        "departed": WebDates.display(contract.departureDate ?? ""),
                    ]
                    row.merge(Self.status(departed: contract.departureDate ?? "", returned: contract.earlyReturnDate ?? "")) { _, new in new }
                    return row
                },
                "hasContracts": !contracts.isEmpty, "truncated": total > contracts.count, "shown": VietnameseFormat.number(contracts.count),
                "total": VietnameseFormat.number(total),
                "enterprises": enterprises.map { enterprise -> [String: Any] in
                    let to = enterprise.licenceValidTo ?? ""
                    return [
                        "id": enterprise.id, "name": enterprise.name, "licence": enterprise.licenceNumber,
                        "from": WebDates.display(enterprise.licenceValidFrom), "to": WebDates.display(to),
                        "valid": enterprise.licenceValidFrom <= today && (to.isEmpty || to >= today),
                        "contracts": VietnameseFormat.number(enterprise.contracts),
                    ]
                },
                "hasEnterprises": !enterprises.isEmpty,
            ],
            section: "abroad"
        )
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
        self.renderer.form(
            title: "Thêm doanh nghiệp dịch vụ",
            intro: "Doanh nghiệp được cấp giấy phép đưa người lao động đi làm việc ở nước ngoài. Các trường có dấu * là bắt buộc.",
            action: "/abroad/enterprises/new",
            fields: OverseasContractForm.enterpriseFields,
            state: state,
            submit: "Thêm doanh nghiệp",
            back: ("/abroad", "Đi làm việc ở nước ngoài"),
            section: "abroad",
            context: context,
            status: status
        )
    }

    @Sendable func createEnterprise(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await self.service.addEnterprise(
                try OverseasEnterpriseInput(form: posted),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
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
