import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `GET /exports/placements?month=YYYY-MM`: the monthly placement CSV, audited.
struct ExportRoutes {
    let client: PostgresClient

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("exports/placements", use: self.placements)
    }

    @Sendable func placements(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        guard let text = request.uri.queryParameters.get("month"), let month = Month(text) else {
            throw AppError.invalid(field: "month", "Tháng phải có dạng YYYY-MM (ví dụ 2026-01).")
        }
        let bytes = try await PlacementExports(client: self.client, logger: context.logger).monthlyCSV(month: month, actor: context.principal)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"placements-\(month).csv\""
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
