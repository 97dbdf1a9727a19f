import Foundation
import Hummingbird
import JobMatchCore
import PostgresNIO

/// `GET /reports/monthly?month=YYYY-MM&as_of=YYYY-MM-DD` and `GET /reports/yearly?year=YYYY&as_of=`:
/// the monthly and yearly reports laid out for an A4 page (issuing unit, number and date left to
/// fill, "Kính gửi", the indicators against the yearly and period targets, the breakdowns, who made
/// it and who approves it), printed from the browser, or with `format=xlsx` as an XLSX form for A4.
/// Every staff role may open them: they name no one.
struct PrintableReportPage {
    /// Where the report is read (the replica while caught up).
    let reads: ReadRouter
    let renderer: WebRenderer
    let issuer: String
    let recipient: String

    var routes: [WebRoute] { [.get("reports/monthly", self.monthly), .get("reports/yearly", self.yearly)] }

    @Sendable func monthly(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        let today = LocalDate.today()
        var month = PlacementPages.recentMonths(today)[1]  // last month, the one being reported
        if let text = request.uri.queryParameters.get("month"), !text.isEmpty {
            guard let given = Month(text) else { throw AppError.invalid(field: "month", "Tháng phải có dạng YYYY-MM.") }
            month = given
        }
        guard month.firstDay <= today else { throw AppError.invalid(field: "month", "Không thể báo cáo một tháng chưa đến.") }
        return try await self.respond(.month(month), request: request, context: context)
    }

    @Sendable func yearly(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        let today = LocalDate.today()
        var year = today.month == 1 ? today.year - 1 : today.year  // in January, the year just ended
        if let text = request.uri.queryParameters.get("year"), !text.isEmpty {
            guard text.count == 4, let given = Int(text), given >= 2000 else { throw AppError.invalid(field: "year", "Năm phải có dạng YYYY.") }
            year = given
        }
        guard year <= today.year else { throw AppError.invalid(field: "year", "Không thể báo cáo một năm chưa đến.") }
        return try await self.respond(.year(year), request: request, context: context)
    }

    /// The report of `kind` as of the day asked (by default its last day, or today while it runs),
    /// as the page or, with `format=xlsx`, as the XLSX form.
    private func respond(_ kind: PrintableReport.Kind, request: Request, context: AppRequestContext) async throws -> Response {
        let today = LocalDate.today()
        var asOf = min(today, kind.lastDay)
        if let text = request.uri.queryParameters.get("as_of"), !text.isEmpty {
            guard let given = LocalDate(text), given <= today else {
                throw AppError.invalid(field: "as_of", "Ngày số liệu phải có dạng YYYY-MM-DD và không sau hôm nay.")
            }
            asOf = given
        }
        let format = request.uri.queryParameters.get("format") ?? "html"
        guard format == "html" || format == "xlsx" else { throw AppError.invalid(field: "format", "Định dạng phải là html hoặc xlsx.") }
        let report = try await PrintableReport.make(kind, asOf: asOf, reads: self.reads, logger: context.logger)
        let dateLine = "ngày \(today.day) tháng \(today.month) năm \(today.year)"
        if format == "xlsx" {
            let form = DepartmentReportForm(report: report, issuer: self.issuer, recipient: self.recipient, dateLine: dateLine)
            return Response(
                status: .ok,
                headers: ExportService.headers(name: kind.fileName, format: .xlsx),
                body: .init(byteBuffer: ByteBuffer(bytes: try form.bytes()))
            )
        }
        let monthly: Bool
        if case .month = kind { monthly = true } else { monthly = false }
        return self.renderer.page(
            "report_print",
            title: "Báo cáo " + kind.label,
            context: context.inVietnamese,
            values: [
                "issuer": self.issuer, "recipient": self.recipient, "label": kind.label, "unit": kind.unit, "monthly": monthly,
                "year": kind.lastDay.year, "asOf": report.asOf.vietnamese, "dateLine": dateLine,
                "indicators": report.indicators.map(\.printed), "hasIndicators": !report.indicators.isEmpty,
                "breakdowns": report.breakdowns.map { breakdown -> [String: Any] in
                    ["title": breakdown.title, "groups": breakdown.groups.map { ["name": $0.name, "count": VietnameseFormat.number($0.count)] }]
                },
                "hasBreakdowns": !report.breakdowns.isEmpty,
                "xlsx": "/reports/\(kind.query)&as_of=\(asOf)&format=xlsx",
            ],
            section: "exports"
        )
    }
}
