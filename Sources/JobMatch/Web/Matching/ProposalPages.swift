import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `/matching`: running the batch matcher (the best assignment of workers to all open vacancies),
/// its recent runs, and the proposals waiting for an officer to accept (refer) or drop.
struct ProposalPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let logger: Logger

    var routes: [WebRoute] {
        [.get("matching", self.list), .post("matching/run", self.run)]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let logger = context.logger
        let (batches, proposals) = try await self.client.withConnection { connection in
            let batches = try await connection.query(
                """
                SELECT id, to_char(created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI'), vacancies, proposals, priority_proposals, duration_ms,
                       open_slots, most_fillable, certificate_violations
                FROM match_batches ORDER BY id DESC LIMIT 5
                """, logger: logger).decode((Int64, String, Int, Int, Int, Int, Int?, Int?, Int?).self).collect()
            let proposals = try await connection.query(
                """
                SELECT r.id, v.id, v.title, e.name, v.closing_date::text, w.id, w.full_name, household_status_on(w.household_id, current_date), r.score
                FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id JOIN employers e ON e.id = v.employer_id JOIN workers w ON w.id = r.worker_id
                WHERE r.status = 'proposed'
                ORDER BY v.closing_date, v.id, r.score DESC, r.id LIMIT 300
                """, logger: logger).decode((Int64, Int64, String, String, String, Int64, String, String, Int).self).collect()
            return (batches, proposals)
        }
        let done = ["run": "Đã chạy ghép việc; các đề xuất mới ở dưới.", "accepted": "Đã duyệt đề xuất: người lao động được giới thiệu.",
                    "withdrawn": "Đã bỏ đề xuất."][request.uri.queryParameters.get("done") ?? ""] ?? ""
        return self.renderer.page("matching", title: "Ghép việc", context: context, values: [
            "done": done,
            "batches": batches.map { id, at, vacancies, proposals, priority, duration, open, most, violations -> [String: Any] in
                ["id": id, "at": at, "vacancies": VietnameseFormat.number(vacancies), "proposals": VietnameseFormat.number(proposals),
                 "priority": VietnameseFormat.number(priority), "seconds": VietnameseFormat.decimal(Double(duration) / 1000),
                 "open": open.map(VietnameseFormat.number) ?? "—", "most": most.map(VietnameseFormat.number) ?? "—",
                 "proof": violations.map { $0 == 0 ? "Đạt (không còn cách ghép nào tốt hơn)" : "Không đạt: \($0) vi phạm" } ?? "—"]
            },
            "hasBatches": !batches.isEmpty,
            "proposals": proposals.map { referral, vacancy, title, employer, closing, worker, name, status, score -> [String: Any] in
                ["id": referral, "vacancy": vacancy, "title": title, "employer": employer, "closing": WebDates.display(closing),
                 "worker": worker, "name": name, "household": HouseholdStatus(rawValue: status)?.vietnamese ?? status, "score": score]
            },
            "hasProposals": !proposals.isEmpty, "count": proposals.count,
        ])
    }

    /// Runs the batch matcher now (the same as `POST /api/staff/matching/batches`).
    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await WebForm.read(request, context: context)
        _ = try await WebAPI.call(MatchBatchRoutes(client: self.client, logger: self.logger).run, context: context)
        return WebRenderer.redirect("/matching?done=run")
    }
}
