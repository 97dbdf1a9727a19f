import Foundation
import Hummingbird
import JobMatchCore

/// `/job-fairs/{id}/report`: a session's report (`JobFairService.report`) as a page.
struct JobFairReportPage {
    let service: JobFairService
    let renderer: WebRenderer

    var routes: [WebRoute] { [.get("job-fairs/:id/report", self.page)] }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let report = try await self.service.report(id, today: LocalDate.today(), logger: context.logger)
        func rows(_ title: String, _ counts: [JobFairReport.Count]) -> [String: Any] {
            ["title": title, "rows": counts.map { ["label": $0.label, "count": VietnameseFormat.number($0.count)] }, "empty": counts.isEmpty]
        }
        func n(_ value: Int64) -> String { VietnameseFormat.number(value) }
        return self.renderer.page(
            "job_fair_report",
            title: "Báo cáo phiên: \(report.jobFair.title)",
            context: context,
            values: [
                "fair": JobFairPages.row(report.jobFair),
                "figures": [
                    ["label": "Doanh nghiệp tham gia", "value": n(report.employers)],
                    ["label": "Vị trí việc làm", "value": n(report.vacancies)],
                    ["label": "Chỉ tiêu tuyển (người)", "value": n(report.slots)],
                    ["label": "Người lao động tham gia", "value": n(report.attendees)],
                    ["label": "Lượt phỏng vấn", "value": n(report.interviews)],
                    ["label": "Được mời nhận việc", "value": n(report.offers)],
                    ["label": "Được tuyển dụng", "value": n(report.hires)],
                    ["label": "Được tính vào chỉ tiêu giải quyết việc làm", "value": n(report.countedHires)],
                ],
                "groups": [
                    rows("Theo tình trạng hộ", report.byHouseholdStatus), rows("Theo giới tính", report.bySex),
                    rows("Theo khuyết tật", report.byDisability), rows("Theo dân tộc", report.byEthnicity),
                ],
            ],
            section: "jobfairs"
        )
    }
}
