import Foundation
import Hummingbird
import JobMatchCore

/// `GET /`: the leaders' dashboard: each target's progress (chart, pace needed, forecast), the
/// month's figures, where placements come from (district, household status, markets abroad), and
/// what needs attention (vacancies closing soon with no referral, proposals waiting).
/// The page door onto `ProgressService`.
struct DashboardPage {
    let progress: ProgressService
    let followUps: FollowUpService
    let renderer: WebRenderer

    var routes: [WebRoute] { [.get("", self.show)] }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let today = LocalDate.today()
        let dashboard = try await self.progress.dashboard(today: today, logger: context.logger)
        let (report, districts, waiting) = (dashboard.report, dashboard.districts, dashboard.waiting)
        let retention = try await self.followUps.retention(logger: context.logger).overall
        let due = try await self.followUps.dueCount(today: today, logger: context.logger)
        let thisMonth = Month(year: today.year, month: today.month)!.description
        // A yearly roadmap's targets of other years stay in the API and the files, off the dashboard.
        let shown = report.targets.filter { target in
            let (start, end) = (LocalDate(target.periodStart)?.year ?? 0, LocalDate(target.periodEnd)?.year ?? 0)
            return start != end || start == today.year
        }
        let targets: [[String: Any]] = shown.map { target in
            let monthCount = target.monthly.first { $0.month == thisMonth }?.count ?? 0
            let top = target.byLegacyDistrict.prefix(8).map { group -> [String: Any] in
                [
                    "name": group.key.flatMap { districts[$0] } ?? "Chưa xác định", "count": VietnameseFormat.number(group.count),
                    "value": group.count, "max": target.byLegacyDistrict.first?.count ?? 1,
                ]
            }
            let statuses = target.byHouseholdStatus.map { group -> [String: Any] in
                [
                    "name": HouseholdStatus(rawValue: group.key ?? "none")?.vietnamese ?? (group.key ?? ""),
                    "count": VietnameseFormat.number(group.count),
                    "value": group.count, "max": target.byHouseholdStatus.first?.count ?? 1,
                ]
            }
            // People with a disability and of an ethnic minority, each against everyone counted.
            let groupsOfConcern = [
                ("Người khuyết tật", target.byDisability.first { $0.key == "with_disability" }?.count ?? 0),
                ("Người dân tộc thiểu số", target.byEthnicMinority.first { $0.key == "ethnic_minority" }?.count ?? 0),
            ].map { name, count -> [String: Any] in
                ["name": name, "count": VietnameseFormat.number(count), "value": count, "max": max(target.count, 1)]
            }
            let markets = target.byMarket.map { group -> [String: Any] in
                [
                    "name": CountryNames.vietnamese(group.key ?? ""), "count": VietnameseFormat.number(group.count),
                    "value": group.count, "max": target.byMarket.first?.count ?? 1,
                ]
            }
            return [
                "title": target.title, "count": VietnameseFormat.number(target.count), "target": VietnameseFormat.number(target.target),
                "basisLabel": target.basisLabel, "otherLabel": target.otherBasis.label,
                "otherCount": VietnameseFormat.number(target.otherBasis.count),
                "territory": target.territory.map { $0.kind == "ward" ? "phường/xã \($0.code)" : "tỉnh cũ mã \($0.code)" }.joined(separator: ", "),
                "hasTerritory": !target.territory.isEmpty,
                "percent": VietnameseFormat.percent(target.percent), "percentValue": min(100, target.percent),
                "pace": target.paceNeededPerMonth.map { VietnameseFormat.number(Int64($0.rounded(.up))) } ?? "",
                "forecast": target.forecastAtPeriodEnd.map(VietnameseFormat.number) ?? "",
                "month": VietnameseFormat.number(monthCount),
                "chart": ProgressChart.svg(target, asOf: today, words: { self.renderer.word($0, in: context.language) }),
                "districts": top, "hasDistricts": !top.isEmpty, "statuses": statuses, "hasStatuses": !statuses.isEmpty,
                "concerns": groupsOfConcern, "hasConcerns": target.count > 0,
                "markets": markets, "hasMarkets": !markets.isEmpty,
            ]
        }
        let closingList: [[String: Any]] = dashboard.closing.map { vacancy in
            [
                "id": vacancy.id, "title": vacancy.title, "employer": vacancy.employer,
                "closing": LocalDate(vacancy.closingDate)?.vietnamese ?? vacancy.closingDate,
            ]
        }
        return self.renderer.page(
            "dashboard",
            title: "Tổng quan",
            context: context,
            values: [
                "asOf": today.vietnamese, "monthLabel": VietnameseFormat.month(year: today.year, month: today.month),
                "targets": targets,
                "trainedPercent": VietnameseFormat.percent(report.trainedRate.percent),
                "trainedLabel": report.trainedRate.label,
                "trainedTarget": report.trainedRate.targetPercent.map { VietnameseFormat.percent($0) } ?? "",
                "trainedCount": VietnameseFormat.number(report.trainedRate.trained),
                "registered": VietnameseFormat.number(report.trainedRate.registered),
                "households": report.households.map {
                    [
                        "status": HouseholdStatus(rawValue: $0.status)?.vietnamese ?? $0.status,
                        "households": VietnameseFormat.number($0.households),
                        "inWork": VietnameseFormat.number($0.withMemberInWork),
                    ]
                },
                "closing": closingList, "hasClosing": !closingList.isEmpty, "waiting": VietnameseFormat.number(waiting), "hasWaiting": waiting > 0,
                "awaitingConfirmation": VietnameseFormat.number(report.awaitingConfirmation),
                "hasAwaitingConfirmation": report.awaitingConfirmation > 0,
                "retention": retention.map { rate -> [String: Any] in
                    [
                        "months": rate.months, "percent": rate.percent.map(VietnameseFormat.percent) ?? "–",
                        "detail": "\(VietnameseFormat.number(rate.inWork))/\(VietnameseFormat.number(rate.reached))",
                    ]
                },
                "followUpsDue": VietnameseFormat.number(due),
            ]
        )
    }
}
