import Foundation
import Hummingbird
import JobMatchCore

/// `GET /poverty?from=&to=&from_year=&to_year=&as_of=` ("Hộ thoát nghèo"): poor and near-poor
/// households with a member placed and which of them left that status, and the poverty rate among
/// registered households year by year against the plan's fall of about 1 point a year.
/// The page door onto `PovertyService`; the same query as the JSON routes, with defaults.
struct PovertyPage {
    let service: PovertyService
    let renderer: WebRenderer

    var routes: [WebRoute] { [.get("poverty", self.show)] }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try PovertyQuery({ request.uri.queryParameters.get($0) }, today: LocalDate.today(), requirePeriod: false)
        let exits = try await self.service.exits(query, by: context.principal, logger: context.logger)
        let rate = try await self.service.rate(query, logger: context.logger)
        func status(_ raw: String?) -> String { raw.map { HouseholdStatus(rawValue: $0)?.vietnamese ?? $0 } ?? "" }
        func points(_ value: Double?) -> String { value.map { ($0 > 0 ? "+" : "") + VietnameseFormat.decimal($0) } ?? "" }
        let households: [[String: Any]] = exits.households.map { row in
            [
                "id": row.householdId, "ward": "\(row.wardName) (\(row.wardCode))", "status": status(row.statusAtPlacement),
                "placed": WebDates.display(row.firstPlacementOn), "exited": row.exited, "exitedOn": WebDates.display(row.exitedOn),
                "exitedTo": status(row.exitedTo), "days": row.daysToExit.map(VietnameseFormat.number) ?? "", "now": status(row.statusOnAsOf),
            ]
        }
        let totals: [[String: Any]] = exits.totals.map { total in
            [
                "label": total.status == "all" ? "Tổng cộng" : status(total.status), "placed": VietnameseFormat.number(total.placed),
                "exited": VietnameseFormat.number(total.exited), "share": VietnameseFormat.percent(total.shareExitedPercent),
                "median": total.medianDaysToExit.map(VietnameseFormat.decimal) ?? "", "isAll": total.status == "all",
            ]
        }
        let years: [[String: Any]] = rate.byYear.map { year in
            [
                "year": year.year, "day": WebDates.display(year.referenceDay), "households": VietnameseFormat.number(year.households),
                "poor": VietnameseFormat.number(year.poor), "poorPercent": year.poorPercent.map(VietnameseFormat.percent) ?? "",
                "nearPoor": VietnameseFormat.number(year.nearPoor), "nearPoorPercent": year.nearPoorPercent.map(VietnameseFormat.percent) ?? "",
                "poorChange": points(year.poorChangePoints), "nearPoorChange": points(year.nearPoorChangePoints),
                "meets": year.meetsTarget == true, "misses": year.meetsTarget == false,
            ]
        }
        return self.renderer.page(
            "poverty",
            title: "Hộ thoát nghèo",
            context: context,
            values: [
                "from": query.from.description, "to": query.to.description, "asOf": query.asOf.description,
                "fromYear": query.fromYear, "toYear": query.toYear,
                "periodLabel": "\(query.from.vietnamese) – \(query.to.vietnamese)", "asOfLabel": query.asOf.vietnamese,
                "households": households, "hasHouseholds": !households.isEmpty, "totals": totals,
                "years": years, "rateLabel": PovertyRateReport.label,
                "target": VietnameseFormat.decimal(PovertyRateReport.targetChangePoints),
            ],
            section: "dashboard"
        )
    }
}
