import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// Vacancies as officers work them: the list (open first, closing soonest), one vacancy with its
/// referrals, and its ranked candidates with each score's parts in plain Vietnamese, to refer from.
struct VacancyPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let candidateIndex: CandidateIndex?

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
        let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT v.id, v.title, e.name, v.occupation_code, w.ward_name, v.slots, v.slots_filled, v.closing_date::text, v.status,
                       (SELECT count(*) FROM referrals r WHERE r.vacancy_id = v.id AND r.status <> 'proposed')
                FROM vacancies v JOIN employers e ON e.id = v.employer_id JOIN wards_2025 w ON w.ward_code = v.ward_code
                WHERE (\(status) = 'all' OR v.status = \(status))
                  AND (\(text) = '' OR v.title ILIKE \(pattern) OR e.name ILIKE \(pattern))
                ORDER BY v.status = 'open' DESC, v.closing_date, v.id LIMIT 200
                """, logger: context.logger).decode((Int64, String, String, String, String, Int, Int, String, String, Int64).self).collect()
        }
        let today = LocalDate.today()
        return self.renderer.page("vacancies", title: "Việc làm trống", context: context, values: [
            "q": text, "statusOptions": [("open", "Đang tuyển"), ("closed", "Đã đóng"), ("all", "Tất cả")].map {
                ["value": $0.0, "text": $0.1, "selected": $0.0 == status]
            },
            "rows": rows.map { id, title, employer, occupation, ward, slots, filled, closing, status, referred -> [String: Any] in
                ["id": id, "title": title, "employer": employer, "occupation": WebLabels.occupation(occupation), "ward": ward,
                 "slots": "\(filled)/\(slots)", "closing": WebDates.display(closing), "referred": referred,
                 "status": WebLabels.word(status, in: WebLabels.vacancyStatus),
                 "soon": status == "open" && (LocalDate(closing).map { $0 <= today.adding(days: 7) } ?? false)]
            },
            "none": rows.isEmpty, "count": rows.count,
        ])
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let logger = context.logger
        let (vacancy, referrals) = try await self.client.withConnection { connection in
            (try await Self.vacancy(id, on: connection, logger: logger),
             try await connection.query(
                """
                SELECT r.id, r.worker_id, w.full_name, r.status, r.score, to_char(r.updated_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY')
                FROM referrals r JOIN workers w ON w.id = r.worker_id WHERE r.vacancy_id = \(id) ORDER BY r.updated_at DESC LIMIT 500
                """, logger: logger).decode((Int64, Int64, String, String, Int, String).self).collect())
        }
        guard var values = vacancy else { throw AppError.notFound("vị trí tuyển dụng \(id)") }
        values["referrals"] = referrals.map { referral, worker, name, status, score, updated -> [String: Any] in
            ["id": referral, "worker": worker, "name": name, "status": WebLabels.word(status, in: WebLabels.referralStatus), "score": score,
             "updated": updated, "proposed": status == "proposed"]
        }
        values["hasReferrals"] = !referrals.isEmpty
        values["done"] = ReferralPages.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? ""
        return self.renderer.page("vacancy", title: values["title"] as? String ?? "Việc làm", context: context, values: values, section: "vacancies")
    }

    /// The vacancy's facts as the pages show them; nil when there is no such vacancy.
    static func vacancy(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [String: Any]? {
        let rows = try await connection.query(
            """
            SELECT v.title, coalesce(v.description, ''), e.id, e.name, v.occupation_code, w.ward_name, v.slots, v.slots_filled,
                   v.wage_min, v.wage_max, v.min_age, v.max_age, v.closing_date::text, v.status, coalesce(v.reference, '')
            FROM vacancies v JOIN employers e ON e.id = v.employer_id JOIN wards_2025 w ON w.ward_code = v.ward_code WHERE v.id = \(id)
            """, logger: logger).decode((String, String, Int64, String, String, String, Int, Int, Int64?, Int64?, Int?, Int?, String, String, String).self)
        guard let (title, description, employerID, employer, occupation, ward, slots, filled, wageMin, wageMax, minAge, maxAge, closing, status, reference)
            = try await rows.collect().first else { return nil }
        let wage: String = switch (wageMin, wageMax) {
        case let (low?, high?): "\(VietnameseFormat.number(low)) – \(VietnameseFormat.number(high)) ₫/tháng"
        case let (low?, nil): "từ \(VietnameseFormat.number(low)) ₫/tháng"
        case let (nil, high?): "đến \(VietnameseFormat.number(high)) ₫/tháng"
        default: "Thỏa thuận"
        }
        let ages: String = switch (minAge, maxAge) {
        case let (low?, high?): "\(low)–\(high) tuổi"
        case let (low?, nil): "từ \(low) tuổi"
        case let (nil, high?): "đến \(high) tuổi"
        default: "Không giới hạn"
        }
        return ["id": id, "title": title, "description": description, "employerId": employerID, "employer": employer,
                "occupation": WebLabels.occupation(occupation), "ward": ward, "slots": slots, "filled": filled, "wage": wage, "ages": ages,
                "closing": WebDates.display(closing), "status": WebLabels.word(status, in: WebLabels.vacancyStatus), "open": status == "open",
                "reference": reference]
    }

    /// The ranked candidates (the API's handler: the same ranking, and the read audited).
    @Sendable func candidates(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let limit = min(200, max(1, Int(request.uri.queryParameters.get("limit") ?? "") ?? 20))
        guard let vacancy = try await self.client.withConnection({ try await Self.vacancy(id, on: $0, logger: context.logger) }) else {
            throw AppError.notFound("vị trí tuyển dụng \(id)")
        }
        let list = try await WebAPI.call(CandidateRoutes(client: self.client, index: self.candidateIndex).list, parameters: ["id": "\(id)"],
                                         method: .get, path: "/web?limit=\(limit)", context: context)
        return self.candidatePage(vacancy, list.candidates, limit: limit, context: context)
    }

    private func candidatePage(_ vacancy: [String: Any], _ candidates: [CandidateRoutes.CandidateView], limit: Int, context: AppRequestContext,
                               message: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var values = vacancy
        values["candidates"] = candidates.enumerated().map { rank, candidate -> [String: Any] in
            ["rank": rank + 1, "worker": candidate.workerId, "name": candidate.fullName,
             "household": HouseholdStatus(rawValue: candidate.householdStatus)?.vietnamese ?? candidate.householdStatus,
             "distance": candidate.distanceKm.map { VietnameseFormat.decimal($0) + " km" } ?? "không rõ", "score": candidate.score,
             "parts": candidate.scoreParts.map { ["points": $0.points, "reason": $0.reason, "positive": $0.points > 0] }]
        }
        values["hasCandidates"] = !candidates.isEmpty
        values["more"] = candidates.count == limit && limit < 200 ? "\(min(200, limit * 2))" : ""
        values["message"] = message ?? ""
        return self.renderer.page("vacancy_candidates", title: "Ứng viên: \(vacancy["title"] as? String ?? "")", context: context, values: values,
                                  section: "vacancies", status: status)
    }

    /// Refers a candidate (the API's rules: the vacancy open, the worker consenting and eligible).
    @Sendable func refer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let form = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            let created = try await WebAPI.call(ReferralRoutes(client: self.client).create,
                                                json: ["vacancy_id": id, "worker_id": form.number("worker_id") ?? "", "status": "referred"], context: context)
            return WebRenderer.redirect("/referrals/\(created.responseGenerator.id)?done=referred")
        } redisplay: { error in
            guard let vacancy = try await self.client.withConnection({ try await Self.vacancy(id, on: $0, logger: context.logger) }) else {
                throw AppError.notFound("vị trí tuyển dụng \(id)")
            }
            let list = try await WebAPI.call(CandidateRoutes(client: self.client, index: self.candidateIndex).list, parameters: ["id": "\(id)"],
                                             method: .get, context: context)
            return self.candidatePage(vacancy, list.candidates, limit: 20, context: context, message: error.detail ?? error.title, status: error.status)
        }
    }
}
