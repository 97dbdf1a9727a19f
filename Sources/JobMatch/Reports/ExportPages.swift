import Foundation
import Hummingbird
import JobMatchCore

/// `/exports`: the month's placements for the department, downloaded as CSV or Excel (CCCD masked
/// unless an officer asks for it whole), the files stored by the monthly schedule, and who downloaded
/// what. The page door onto `ExportService`: every download is the API's own, audited.
struct ExportPages {
    let exports: ExportService
    let renderer: WebRenderer

    var routes: [WebRoute] {
        [.get("exports", self.page), .get("exports/download", self.download), .get("exports/files/:id", self.file)]
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let files = try await self.exports.files(logger: context.logger)
        let history = try await self.exports.history(logger: context.logger)
        let today = LocalDate.today()
        let months = PlacementPages.recentMonths(today).map { month -> [String: Any] in
            [
                "value": month.description, "text": VietnameseFormat.month(year: month.year, month: month.month),
                "selected": month == PlacementPages.recentMonths(today)[1],
            ]
        }
        return self.renderer.page(
            "exports",
            title: "Báo cáo tháng",
            context: context,
            values: [
                "months": months,
                "files": files.map { file -> [String: Any] in
                    [
                        "id": file.id, "month": Month(file.month).map { VietnameseFormat.month(year: $0.year, month: $0.month) } ?? file.month,
                        "format": file.format == "xlsx" ? "Excel" : "CSV", "size": VietnameseFormat.number((file.sizeBytes + 1023) / 1024) + " KB",
                        "asOf": WebDates.display(file.asOf), "scheduled": file.scheduled ? "Tự động" : "Cán bộ lưu",
                        "downloads": file.downloads, "sha": String(file.sha256.prefix(12)),
                    ]
                },
                "hasFiles": !files.isEmpty,
                "history": history.map { entry -> [String: Any] in
                    [
                        "who": entry.who,
                        "what": entry.action == "store" ? "Lưu tệp tháng" : entry.action == "download" ? "Tải tệp đã lưu" : "Xuất trực tiếp",
                        "name": entry.name, "format": entry.format, "at": entry.at,
                    ]
                },
                "hasHistory": !history.isEmpty,
            ]
        )
    }

    /// `?month=YYYY-MM` or `?period=YYYY-YYYY`, `format=csv|xlsx`, `cccd=masked|full` (empty values ignored): streamed by the API's export.
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let role = try context.requireStaff().role
        func value(_ name: String) -> String? { request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        let export = try PlacementExportRequest(
            month: value("month"),
            period: value("period"),
            format: value("format"),
            asOf: nil,
            cccd: value("cccd"),
            role: role
        )
        return try self.exports.placements(export, actor: context.principal, logger: context.logger)
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        _ = try context.requireStaff()
        return try await self.exports.file(id, actor: context.principal, logger: context.logger)
    }
}
