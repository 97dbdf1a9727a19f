import Foundation
import Hummingbird
import JobMatchCore
import PostgresNIO

/// `GET /reports/monthly?month=YYYY-MM&as_of=YYYY-MM-DD`: the monthly report laid out for an A4
/// page (issuing unit, number and date left to fill, "Kính gửi", the indicators against the yearly
/// and period targets, the breakdowns, who made it and who approves it), printed from the browser.
/// Every staff role may open it: it names no one.
struct PrintableReportPage {
    let client: PostgresClient
    let renderer: WebRenderer
    let issuer: String
    let recipient: String

    var routes: [WebRoute] { [.get("reports/monthly", self.show)] }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireStaff()
        let today = LocalDate.today()
        let month: Month
        if let text = request.uri.queryParameters.get("month"), !text.isEmpty {
            guard let given = Month(text) else { throw AppError.invalid(field: "month", "Tháng phải có dạng YYYY-MM.") }
            month = given
        } else {
            month = PlacementPages.recentMonths(today)[1]  // last month, the one being reported
        }
        var asOf = min(today, month.endExclusive.adding(days: -1))
        if let text = request.uri.queryParameters.get("as_of"), !text.isEmpty {
            guard let given = LocalDate(text), given <= today else {
                throw AppError.invalid(field: "as_of", "Ngày số liệu phải có dạng YYYY-MM-DD và không sau hôm nay.")
            }
            asOf = given
        }
        guard month.firstDay <= today else { throw AppError.invalid(field: "month", "Không thể báo cáo một tháng chưa đến.") }
        let report = try await PrintableReport.make(month: month, asOf: asOf, client: self.client, logger: context.logger)
        let monthLabel = VietnameseFormat.month(year: month.year, month: month.month)
        return self.renderer.page(
            "report_monthly",
            title: "Báo cáo tháng \(monthLabel)",
            context: context.inVietnamese,
            values: [
                "issuer": self.issuer, "recipient": self.recipient, "monthLabel": monthLabel, "year": month.year,
                "asOf": report.asOf.vietnamese,
                "dateLine": "ngày \(today.day) tháng \(today.month) năm \(today.year)",
                "indicators": report.indicators.map { indicator -> [String: Any] in
                    [
                        "title": indicator.title, "inMonth": indicator.inMonth, "yearToDate": indicator.yearToDate,
                        "periodToDate": indicator.periodToDate, "plan": indicator.plan, "percent": indicator.percent,
                        "basis": indicator.basis, "pace": indicator.pace,
                    ]
                },
                "hasIndicators": !report.indicators.isEmpty,
                "breakdowns": report.breakdowns.map { breakdown -> [String: Any] in
                    ["title": breakdown.title, "groups": breakdown.groups.map { ["name": $0.name, "count": $0.count] }]
                },
                "hasBreakdowns": !report.breakdowns.isEmpty,
            ],
            section: "exports"
        )
    }
}
