import Foundation
import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// `/exports`: the month's placements for the department, downloaded as CSV or Excel (CCCD masked
/// unless an officer asks for it whole), the files stored by the monthly schedule, and who downloaded
/// what. Every download is the API's own, audited.
struct ExportPages {
    let client: PostgresClient
    let renderer: WebRenderer
    /// The exports' share of the pool (`ExportRoutes`).
    let permits: ConnectionPermits

    var routes: [WebRoute] {
        [.get("exports", self.page), .get("exports/download", self.download), .get("exports/files/:id", self.file)]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let logger = context.logger
        let files = try await ExportFiles(client: self.client, logger: logger).list()
        let history = try await self.client.withConnection { connection in
            try await connection.query(
                """
                SELECT coalesce(nullif(s.display_name, ''), s.username, 'Hệ thống'), a.action, a.entity,
                       coalesce(a.after->>'export', f.month, ''), coalesce(a.after->>'format', f.format, ''),
                       to_char(a.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'DD/MM/YYYY HH24:MI')
                FROM audit_log a LEFT JOIN staff_users s ON a.actor_kind = 'staff' AND s.id = a.actor_id
                LEFT JOIN export_files f ON a.entity = 'export_file' AND f.id::text = a.entity_id
                WHERE (a.action = 'export' OR (a.entity = 'export_file' AND a.action IN ('download', 'store')))
                ORDER BY a.id DESC LIMIT 50
                """, logger: logger).decode((String, String, String, String, String, String).self).collect()
        }
        let today = LocalDate.today()
        let months = PlacementPages.recentMonths(today).map { month -> [String: Any] in
            ["value": month.description, "text": VietnameseFormat.month(year: month.year, month: month.month),
             "selected": month == PlacementPages.recentMonths(today)[1]]
        }
        return self.renderer.page("exports", title: "Báo cáo tháng", context: context, values: [
            "months": months,
            "files": files.map { file -> [String: Any] in
                ["id": file.id, "month": Month(file.month).map { VietnameseFormat.month(year: $0.year, month: $0.month) } ?? file.month,
                 "format": file.format == "xlsx" ? "Excel" : "CSV", "size": VietnameseFormat.number((file.sizeBytes + 1023) / 1024) + " KB",
                 "asOf": WebDates.display(file.asOf), "scheduled": file.scheduled ? "Tự động" : "Cán bộ lưu",
                 "downloads": file.downloads, "sha": String(file.sha256.prefix(12))]
            },
            "hasFiles": !files.isEmpty,
            "history": history.map { who, action, entity, month, format, at -> [String: Any] in
                ["who": who, "what": action == "store" ? "Lưu tệp tháng" : action == "download" ? "Tải tệp đã lưu" : "Xuất trực tiếp",
                 "name": month, "format": format, "at": at]
            },
            "hasHistory": !history.isEmpty,
        ])
    }

    /// `?month=YYYY-MM` or `?period=YYYY-YYYY`, `format=csv|xlsx`, `cccd=masked|full`: streamed by the API's export.
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        var query = URLComponents()
        query.queryItems = ["month", "period", "format", "cccd"].compactMap { name in
            request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) }
        }
        return try await WebAPI.call(ExportRoutes(client: self.client, permits: self.permits).placements, method: .get, path: "/web" + (query.string ?? ""), context: context)
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        return try await WebAPI.call(ExportRoutes(client: self.client, permits: self.permits).file, parameters: ["id": "\(id)"], method: .get, context: context)
    }
}
