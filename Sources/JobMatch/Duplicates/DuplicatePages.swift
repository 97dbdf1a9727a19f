import Foundation
import Hummingbird
import JobMatchCore

/// `/workers/duplicates`: the pairs of records that are probably one person, side by side with the
/// fields that agree; per pair, merging one into the other or marking them as two people; and the
/// recent merges, each of which can be undone. Every write is the same `DuplicateService` call as
/// the staff API's: its rules, its messages, its audit.
struct DuplicatePages {
    let service: DuplicateService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [
            .get("workers/duplicates", self.list),
            .post("workers/duplicates/merge", self.merge),
            .post("workers/duplicates/dismiss", self.dismiss),
            .post("workers/merges/:id/undo", self.undo),
        ]
    }

    static let doneMessages = [
        "dismissed": "Đã ghi nhận hai hồ sơ là của hai người khác nhau; cặp này không còn trong danh sách.",
        "unmerged": "Đã hủy lần gộp: hai hồ sơ lại tách riêng như trước.",
    ]

    /// An error shown beside one pair's forms (`first-second`), or above the list when `pair` is nil.
    struct Problem {
        let pair: String?
        let message: String
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await self.page(request: request, context: context)
    }

    private func page(
        request: Request,
        problem: Problem? = nil,
        context: AppRequestContext,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        _ = try context.requireStaff()
        let pairs = try await self.service.pairs(limit: 50, logger: context.logger)
        let records = try await self.service.records(pairs.flatMap { [$0.firstId, $0.secondId] }, logger: context.logger)
        let merges = try await self.service.recentMerges(logger: context.logger).map { merge -> [String: Any] in
            [
                "mergeId": merge.mergeID, "kept": merge.keptID, "keptName": merge.keptName, "merged": merge.mergedID, "mergedName": merge.mergedName,
                "at": merge.mergedAt, "by": merge.mergedBy,
            ]
        }
        // A pair found for two reasons is listed once, with both.
        var reasons: [String: [String]] = [:]
        for pair in pairs { reasons["\(pair.firstId)-\(pair.secondId)", default: []].append(pair.reason) }
        var seen = Set<String>()
        var shownProblem = false
        let rows = pairs.compactMap { pair -> [String: Any]? in
            guard let a = records[pair.firstId], let b = records[pair.secondId], seen.insert("\(a.id)-\(b.id)").inserted else { return nil }
            let key = "\(pair.firstId)-\(pair.secondId)"
            let keep = DuplicatePairs.suggestedKeep(a, b)
            let mine = problem?.pair == key ? problem?.message : nil
            if mine != nil { shownProblem = true }
            return [
                "key": key, "firstId": a.id, "secondId": b.id, "firstName": a.name, "secondName": b.name,
                "reasons": (reasons[key] ?? []).map { ["reason": $0] },
                "rows": DuplicatePairs.rows(a, b), "keepFirst": keep == a.id, "keepSecond": keep == b.id, "pairProblem": mine ?? "",
            ]
        }
        let values: [String: Any] = [
            "done": Self.doneMessages[request.uri.queryParameters.get("done") ?? ""] ?? "",
            "problem": shownProblem ? "" : problem?.message ?? "",
            "pairs": rows, "hasPairs": !rows.isEmpty, "count": rows.count,
            "merges": merges, "hasMerges": !merges.isEmpty,
        ]
        return self.renderer.page("duplicates", title: "Hồ sơ có thể trùng", context: context, values: values, section: "workers", status: status)
    }

    /// The pair a form was posted for: both ids, different.
    private func pair(_ form: WebForm) throws -> (first: Int64, second: Int64) {
        guard let first = form.text("first_id").flatMap({ Int64($0) }), let second = form.text("second_id").flatMap({ Int64($0) }), first != second
        else { throw AppError.invalid(field: "second_id", "Biểu mẫu thiếu mã của hai hồ sơ; hãy tải lại trang.") }
        return (first, second)
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        let (first, second) = try self.pair(posted)
        return try await WebSubmit.run(context: context) {
            guard let keep = posted.text("keep").flatMap({ Int64($0) }), keep == first || keep == second else {
                throw AppError.invalid(field: "keep", "Hãy chọn hồ sơ được giữ lại.")
            }
            let outcome = try await self.service.merge(
                keep: keep,
                duplicate: keep == first ? second : first,
                reason: posted.text("reason"),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/workers/\(outcome.keptId)?done=merged")
        } redisplay: { error in
            try await self.page(
                request: request,
                problem: Problem(pair: "\(first)-\(second)", message: error.detail ?? error.title),
                context: context,
                status: error.status
            )
        }
    }

    @Sendable func dismiss(_ request: Request, context: AppRequestContext) async throws -> Response {
        let posted = try await WebForm.read(request, context: context)
        let (first, second) = try self.pair(posted)
        return try await WebSubmit.run(context: context) {
            _ = try await self.service.dismiss(
                first,
                second,
                reason: posted.text("reason"),
                by: try context.requirePrincipal(),
                logger: context.logger
            )
            return WebRenderer.redirect("/workers/duplicates?done=dismissed")
        } redisplay: { error in
            try await self.page(
                request: request,
                problem: Problem(pair: "\(first)-\(second)", message: error.detail ?? error.title),
                context: context,
                status: error.status
            )
        }
    }

    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try await WebForm.read(request, context: context)
        return try await WebSubmit.run(context: context) {
            _ = try await self.service.undo(id, by: try context.requirePrincipal(), logger: context.logger)
            return WebRenderer.redirect("/workers/duplicates?done=unmerged")
        } redisplay: { error in
            try await self.page(
                request: request,
                problem: Problem(pair: nil, message: error.detail ?? error.title),
                context: context,
                status: error.status
            )
        }
    }
}
