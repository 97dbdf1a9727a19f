import Foundation
import Hummingbird
import JobMatchCore

/// Vacancies as officers work them: the list (open first, closing soonest), one vacancy with its
/// referrals, and its ranked candidates with each score's parts in plain Vietnamese, to refer from.
/// The page door onto `VacancyRepository`, `CandidateService` and `ReferralService`.
struct VacancyPages {
    let vacancies: VacancyRepository
    let candidates: CandidateService
    let referrals: ReferralService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [
            .get("vacancies", self.list),
            .get("vacancies/:id", self.show),
            .get("vacancies/:id/candidates", self.candidates),
            .post("vacancies/:id/referrals", self.refer),
        ]
    }

    /// `?status=open|closed|all` (default open) and `?q=` (words of the title or the employer's name).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let status = request.uri.queryParameters.get("status").flatMap { ["open", "closed", "all"].contains($0) ? $0 : nil } ?? "open"
        let text = String((request.uri.queryParameters.get("q") ?? "").prefix(100))
        let rows = try await self.vacancies.summaries(status: status, text: text, logger: context.logger)
        let today = LocalDate.today()
        return self.renderer.page(
            "vacancies",
            title: "Việc làm trống",
            context: context,
            values: [
                "q": text,
                "statusOptions": [("open", "Đang tuyển"), ("closed", "Đã đóng"), ("all", "Tất cả")].map {
                    ["value": $0.0, "text": $0.1, "selected": $0.0 == status]
                },
                "rows": rows.map { row -> [String: Any] in
                    [
                        "id": row.id, "title": row.title, "employer": row.employer, "occupation": WebLabels.occupation(row.occupationCode),
                        "ward": row.wardName, "slots": "\(row.slotsFilled)/\(row.slots)", "closing": WebDates.display(row.closingDate),
                        "referred": row.referred, "status": WebLabels.word(row.status, in: WebLabels.vacancyStatus),
                        "soon": row.status == "open" && (LocalDate(row.closingDate).map { $0 <= today.adding(days: 7) } ?? false),
                    ]
                },
                "none": rows.isEmpty, "count": rows.count,
            ]
        )
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let vacancy = try await self.vacancies.detail(id, withReferrals: true, logger: context.logger) else {
            throw AppError.notFound("vị trí tuyển dụng \(id)")
        }
        var values = Self.values(vacancy)
        values["referrals"] = vacancy.referrals.map { referral -> [String: Any] in
            [
                "id": referral.id, "worker": referral.workerID, "name": referral.workerName,
                "status": WebLabels.word(referral.status, in: WebLabels.referralStatus), "score": referral.score,
                "updated": referral.updated, "proposed": referral.status == "proposed",
                // a current letter: referred or interviewed (each has its code)
                "hasLetter": ["referred", "interviewed"].contains(referral.status),
            ]
        }
        values["hasReferrals"] = !vacancy.referrals.isEmpty
        values["done"] = ReferralPages.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        return self.renderer.page("vacancy", title: vacancy.title, context: context, values: values, section: "vacancies")
    }

    /// The vacancy's facts as the pages show them.
    static func values(_ vacancy: VacancyDetail) -> [String: Any] {
        let wage: String =
            switch (vacancy.wageMin, vacancy.wageMax) {
            case let (low?, high?): "\(VietnameseFormat.number(low)) – \(VietnameseFormat.number(high)) ₫/tháng"
            case let (low?, nil): "từ \(VietnameseFormat.number(low)) ₫/tháng"
            case let (nil, high?): "đến \(VietnameseFormat.number(high)) ₫/tháng"
            default: "Thỏa thuận"
            }
        let ages: String =
            switch (vacancy.minAge, vacancy.maxAge) {
            case let (low?, high?): "\(low)–\(high) tuổi"
            case let (low?, nil): "từ \(low) tuổi"
            case let (nil, high?): "đến \(high) tuổi"
            default: "Không giới hạn"
            }
        return [
            "id": vacancy.id, "title": vacancy.title, "description": vacancy.description, "employerId": vacancy.employerID,
            "employer": vacancy.employer, "occupation": WebLabels.occupation(vacancy.occupationCode), "ward": vacancy.wardName,
            "slots": vacancy.slots, "filled": vacancy.slotsFilled, "wage": wage, "ages": ages, "closing": WebDates.display(vacancy.closingDate),
            "status": WebLabels.word(vacancy.status, in: WebLabels.vacancyStatus), "open": vacancy.status == "open",
            "reference": vacancy.reference,
        ]
    }

    /// The ranked candidates (the API's ranking, and the read audited).
    @Sendable func candidates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let limit = min(200, max(1, Int(request.uri.queryParameters.get("limit") ?? "") ?? 20))
        return try await self.candidatePage(id, limit: limit, context: context)
    }

    /// The vacancy with its best `limit` candidates (one call, one snapshot); 404 when there is no such vacancy.
    private func candidatePage(
        _ id: Int64,
        limit: Int,
        context: AppRequestContext,
        message: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (vacancy, list) = try await self.candidates.page(vacancyID: id, limit: limit, actor: context.principal, logger: context.logger)
        let candidates = list.candidates
        var values = Self.values(vacancy)
        values["candidates"] = candidates.enumerated().map { rank, candidate -> [String: Any] in
            [
                "rank": rank + 1, "worker": candidate.workerId, "name": candidate.fullName,
                "household": HouseholdStatus(rawValue: candidate.householdStatus)?.vietnamese ?? candidate.householdStatus,
                "distance": candidate.distanceKm.map { VietnameseFormat.decimal($0) + " km" } ?? "không rõ", "score": candidate.score,
                "parts": candidate.scoreParts.map { ["points": $0.points, "reason": $0.reason, "positive": $0.points > 0] },
            ]
        }
        values["hasCandidates"] = !candidates.isEmpty
        values["more"] = candidates.count == limit && limit < 200 ? "\(min(200, limit * 2))" : ""
        values["message"] = message ?? ""
        return self.renderer.page(
            "vacancy_candidates",
            title: "Ứng viên: \(vacancy.title)",
            context: context,
            values: values,
            section: "vacancies",
            status: status
        )
    }

    /// Refers a candidate (the service's rules: the vacancy open, the worker consenting and eligible).
    @Sendable func refer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let staff = try context.requireStaff()
            let created = try await self.referrals.create(
                try NewReferral(form: form, vacancyID: id),
                staffID: staff.id,
                actor: context.principal,
                logger: context.logger
            )
            return WebRenderer.redirect("/referrals/\(created.id)?done=referred")
        } redisplay: { error in
            try await self.candidatePage(id, limit: 20, context: context, message: error.detail ?? error.title, status: error.status)
        }
    }
}
