import Foundation
import Hummingbird
import JobMatchCore

/// `/matching`: running the batch matcher (the best assignment of workers to all open vacancies),
/// its recent runs, and the proposals waiting for an officer to accept (refer) or drop.
struct ProposalPages {
    let batches: MatchBatchService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [.get("matching", self.list), .post("matching/run", self.run)]
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let batches = try await self.batches.recent(logger: context.logger)
        let proposals = try await self.batches.waitingProposals(logger: context.logger)
        let done =
            [
                "run": "Đã chạy ghép việc; các đề xuất mới ở dưới.", "accepted": "Đã duyệt đề xuất: người lao động được giới thiệu.",
                "withdrawn": "Đã bỏ đề xuất.",
            ][request.uri.queryParameters.get("done") ?? ""] ?? ""
        return self.renderer.page(
            "matching",
            title: "Ghép việc",
            context: context,
            values: [
                "done": done,
                "batches": batches.map { batch -> [String: Any] in
                    [
                        "id": batch.id, "at": batch.at, "vacancies": VietnameseFormat.number(batch.vacancies),
                        "proposals": VietnameseFormat.number(batch.proposals), "priority": VietnameseFormat.number(batch.priorityProposals),
                        "seconds": VietnameseFormat.decimal(Double(batch.durationMs) / 1000),
                        "open": batch.openSlots.map(VietnameseFormat.number) ?? "—", "most": batch.mostFillable.map(VietnameseFormat.number) ?? "—",
                        "proof": batch.certificateViolations.map { $0 == 0 ? "Đạt (không còn cách ghép nào tốt hơn)" : "Không đạt: \($0) vi phạm" }
                            ?? "—",
                    ]
                },
                "hasBatches": !batches.isEmpty,
                "proposals": proposals.map { proposal -> [String: Any] in
                    [
                        "id": proposal.referralID, "vacancy": proposal.vacancyID, "title": proposal.title, "employer": proposal.employer,
                        "closing": WebDates.display(proposal.closingDate), "worker": proposal.workerID, "name": proposal.workerName,
                        "household": HouseholdStatus(rawValue: proposal.householdStatus)?.vietnamese ?? proposal.householdStatus,
                        "score": proposal.score,
                    ]
                },
                "hasProposals": !proposals.isEmpty, "count": proposals.count,
            ]
        )
    }

    /// Runs the batch matcher now (the same as `POST /api/staff/matching/batches`).
    @Sendable func run(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await WebForm.read(request, context: context)
        _ = try context.requireStaff()
        _ = try await self.batches.run(candidatesPerVacancy: nil, actor: context.principal, logger: context.logger)
        return WebRenderer.redirect("/matching?done=run")
    }
}
