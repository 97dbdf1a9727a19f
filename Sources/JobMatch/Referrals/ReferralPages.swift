import Foundation
import Hummingbird
import JobMatchCore
import Logging

/// One referral: who was referred where, the score and its parts as they were when referred, every
/// step with who took it, and the forms for the steps allowed from here (accept a proposal, record
/// the interview, hire, reject, withdraw), each read into the JSON route's typed input and run by
/// `ReferralService`.
struct ReferralPages {
    let referrals: ReferralService
    let vacancies: VacancyRepository
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [
            .get("referrals/:id", self.show),
            .post("referrals/:id/accept", self.accept),
            .post("referrals/:id/interview", self.interview),
            .post("referrals/:id/hire", self.hire),
            .post("referrals/:id/reject", self.reject),
            .post("referrals/:id/withdraw", self.withdraw),
        ]
    }

    static let doneMessages = [
        "referred": "Đã giới thiệu người lao động.", "accepted": "Đã duyệt đề xuất: người lao động được giới thiệu.",
        "interviewed": "Đã ghi kết quả phỏng vấn.", "hired": "Đã ghi nhận tuyển dụng; kết quả được tính vào chỉ tiêu.",
        "rejected": "Đã ghi nhận không đạt.", "withdrawn": "Đã rút lượt giới thiệu.",
    ]
    static let outcomes = [("passed", "Đạt"), ("failed", "Không đạt"), ("no_show", "Không đến phỏng vấn")]
    static let actors = ["staff": "Cán bộ", "employer": "Doanh nghiệp", "system": "Hệ thống"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        return try await self.page(id, context: context, done: request.uri.queryParameters.get("done"))
    }

    private func page(
        _ id: Int64,
        context: AppRequestContext,
        done: String? = nil,
        failed: AppError? = nil,
        form: WebForm? = nil
    ) async throws -> Response {
        let logger = context.logger
        let (referral, worker) = try await self.referrals.findNamed(id, logger: logger)
        let vacancy = try await self.vacancies.detail(referral.vacancyId, logger: logger).map(VacancyPages.values) ?? [:]
        let allowed = ReferralWorkflow.allowed[referral.status] ?? []
        let typed: [String: Any] = ["start_date": "", "wage_vnd": "", "interviewed_on": "", "contract_type": "", "contract_end_date": ""].merging(
            form.map { WebFormState($0).values.mapValues { $0.first ?? "" } } ?? [:]
        ) { $1 }
        let values: [String: Any] = [
            "id": id, "status": WebLabels.word(referral.status, in: WebLabels.referralStatus), "score": referral.score,
            "parts": referral.scoreParts.map { ["points": $0.points, "reason": $0.reason, "positive": $0.points > 0] },
            "worker": referral.workerId, "workerName": worker, "vacancy": vacancy, "placement": referral.placementId ?? 0,
            "hasPlacement": referral.placementId != nil, "hasLetter": referral.events.contains { $0.toStatus == "referred" },
            "events": referral.events.map { event -> [String: Any] in
                [
                    "at": WebDates.display(String(event.at.prefix(10))) + " " + event.at.dropFirst(11).prefix(5),
                    "from": WebLabels.word(event.fromStatus, in: WebLabels.referralStatus),
                    "to": WebLabels.word(event.toStatus, in: WebLabels.referralStatus), "actor": Self.actors[event.actorKind] ?? event.actorKind,
                    "note": event.note ?? "",
                ]
            },
            "canAccept": allowed.contains("referred") && referral.status == "proposed",
            "canInterview": allowed.contains("interviewed"), "canHire": allowed.contains("hired"),
            "canReject": allowed.contains("rejected"), "canWithdraw": allowed.contains("withdrawn"),
            "contractTypes": ContractType.allCases.filter { $0 != .selfEmployment }.map {
                ["value": $0.rawValue, "text": $0.vietnamese, "selected": (typed["contract_type"] as? String) == $0.rawValue]
            },
            "outcomes": Self.outcomes.map { ["value": $0.0, "text": $0.1, "selected": (typed["outcome"] as? String) == $0.0] },
            "today": LocalDate.today().vietnamese, "typed": typed,
            "done": done.flatMap { Self.doneMessages[$0] } ?? "", "message": failed.map { $0.detail ?? $0.title } ?? "",
            "errorField": failed?.field ?? "",
        ]
        return self.renderer.page(
            "referral",
            title: "Giới thiệu: \(worker)",
            context: context,
            values: values,
            section: "vacancies",
            status: failed?.status ?? .ok
        )
    }

    /// Runs one step; its error comes back on the referral's page, next to the forms.
    private func step(
        _ request: Request,
        _ context: AppRequestContext,
        done: String,
        _ run: @escaping (Int64, WebForm) async throws -> Void
    ) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            try await run(id, form)
            // From the proposals page, back to it.
            return WebRenderer.redirect(form.text("back") == "matching" ? "/matching?done=\(done)" : "/referrals/\(id)?done=\(done)")
        } redisplay: { error in
            try await self.page(id, context: context, failed: error, form: form)
        }
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.step(request, context, done: "accepted") { id, _ in
            _ = try await self.referrals.accept(id, actor: context.principal, logger: context.logger)
        }
    }

    @Sendable func interview(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.step(request, context, done: "interviewed") { id, form in
            _ = try await self.referrals.interview(id, try ReferralInterview(form: form), actor: context.principal, logger: context.logger)
        }
    }

    @Sendable func hire(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.step(request, context, done: "hired") { id, form in
            _ = try await self.referrals.hire(id, try ReferralHire(form: form), actor: context.principal, logger: context.logger)
        }
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.step(request, context, done: "rejected") { id, form in
            _ = try await self.referrals.reject(id, ReferralReason(form: form), actor: context.principal, logger: context.logger)
        }
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.step(request, context, done: "withdrawn") { id, form in
            _ = try await self.referrals.withdraw(
                id,
                ReferralReason(form: form, otherwise: "Cán bộ rút lượt giới thiệu"),
                actor: context.principal,
                logger: context.logger
            )
        }
    }
}
