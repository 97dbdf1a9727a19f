import Foundation
import Hummingbird
import JobMatchCore

/// `/follow-ups`: the calls due 3, 6 and 12 months after a job, each with a form for what the call
/// found (and, for someone who stopped, a box that puts them back to seeking work), and the
/// retention rates. The page door onto `FollowUpService`.
struct FollowUpPages {
    let service: FollowUpService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [.get("follow-ups", self.page), .post("placements/:id/follow-ups", self.record)]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let staff = try context.requireStaff()
        let due = try await self.service.due(
            today: LocalDate.today(),
            withPhones: staff.role.canWrite,
            actor: context.principal,
            logger: context.logger
        )
        let retention = try await self.service.retention(logger: context.logger)
        let outcomes = FollowUpOutcome.allCases.map { ["value": $0.rawValue, "text": $0.vietnamese] }
        func cells(_ rates: [FollowUpService.Rate]) -> [[String: Any]] {
            rates.map { rate in
                [
                    "percent": rate.percent.map(VietnameseFormat.percent) ?? "–",
                    "detail": "\(VietnameseFormat.number(rate.inWork))/\(VietnameseFormat.number(rate.reached))",
                ]
            }
        }
        let titles = ["channel": "Theo kênh", "employer": "Theo doanh nghiệp", "status": "Theo tình trạng hộ", "training": "Theo đào tạo"]
        return self.renderer.page(
            "follow_ups",
            title: "Theo dõi sau giới thiệu việc làm",
            context: context,
            values: [
                "due": due.map { item -> [String: Any] in
                    [
                        "placement": item.placementId, "worker": item.workerId, "name": item.workerName, "phone": item.phone ?? "",
                        "employer": item.employer.isEmpty ? WebLabels.word(item.channel, in: WebLabels.placementChannel) : item.employer,
                        "start": WebDates.display(item.startDate), "months": item.months, "dueOn": WebDates.display(item.dueOn),
                        "today": LocalDate.today().vietnamese,
                    ]
                },
                "hasDue": !due.isEmpty, "dueCount": VietnameseFormat.number(due.count), "outcomes": outcomes,
                "overall": cells(retention.overall),
                "groups": retention.groups.map { group -> [String: Any] in
                    ["dimension": titles[group.dimension] ?? group.dimension, "label": group.label, "rates": cells(group.rates)]
                },
                "hasGroups": !retention.groups.isEmpty, "measures": retention.measures,
                "done": request.uri.queryParameters.get("done") == "recorded" ? "Đã ghi kết quả theo dõi." : "",
            ],
            section: "placements"
        )
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        let staff = try context.requireStaff()
        let input = FollowUpInput(
            months: form.text("months").flatMap { Int($0) },
            outcome: form.text("outcome"),
            contactedOn: try WebDates.iso(form.text("contacted_on"), field: "contacted_on"),
            note: form.text("note"),
            returnToSeeking: form.flag("return_to_seeking")
        )
        let valid = try ValidFollowUp(input, today: LocalDate.today())
        _ = try await self.service.record(id, valid, staffID: staff.id, actor: context.principal, logger: context.logger)
        return WebRenderer.redirect("/follow-ups?done=recorded")
    }
}
