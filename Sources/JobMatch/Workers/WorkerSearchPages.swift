import Foundation
import Hummingbird
import JobMatchCore

/// `GET /workers`: the search form; `POST /workers` (the form, without script) and `POST
/// /workers/search` (typed-as-you-go, answering only the results) find workers by name without
/// diacritics, CCCD or phone ending. Searches are posted, so no name or number is ever in a URL.
struct WorkerSearchPages {
    let service: WorkerService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [.get("workers", self.form), .post("workers", .staff, self.searchPage), .post("workers/search", .staff, self.searchResults)]
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.renderer.page("workers", title: "Người lao động", context: context, values: ["q": ""])
    }

    @Sendable func searchPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (query, results) = try await self.search(request, context: context)
        return self.renderer.page("workers", title: "Người lao động", context: context, values: ["q": query, "results": results])
    }

    @Sendable func searchResults(_ request: Request, context: AppRequestContext) async throws -> Response {
        self.renderer.fragment("workers_results", values: try await self.search(request, context: context).results, language: context.language)
    }

    /// The posted search text (at most 100 characters) and up to 50 matches as the template shows
    /// them (CCCD and phone masked as in the API).
    private func search(_ request: Request, context: AppRequestContext) async throws -> (query: String, results: [String: Any]) {
        let form = try await WebForm.read(request, context: context, allowViewer: true)
        let query = String((form.text("q") ?? "").prefix(100))
        guard query.count >= 2 else { return (query, ["searched": false]) }
        var criteria = WorkerSearch.Criteria()
        criteria.text = query
        criteria.limit = 50
        let (rows, _) = try await self.service.search(criteria, logger: context.logger)
        return (
            query,
            [
                "searched": true, "count": rows.count, "none": rows.isEmpty,
                "rows": rows.map { row -> [String: Any] in
                    [
                        "id": row.id, "name": row.fullName, "birthYear": row.birthYear, "sex": row.sex == "female" ? "Nữ" : "Nam",
                        "ward": row.wardName, "cccd": row.cccd ?? "", "status": HouseholdStatus(rawValue: row.householdStatus)?.vietnamese ?? "",
                        "seeking": Self.seekingLabel(row.jobSeekingStatus),
                    ]
                },
            ]
        )
    }

    static func seekingLabel(_ status: String) -> String {
        switch status {
        case "seeking": "Đang tìm việc"
        case "employed": "Đã có việc"
        default: "Không tìm việc"
        }
    }
}
