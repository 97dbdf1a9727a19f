import JobMatchCore
import Logging
import PostgresNIO

/// The monthly report as the department receives it, ready to print: the export's summary (each
/// target in the month, year to date and period to date against the plan, on its basis, and the
/// breakdowns), worked out in one snapshot by `PlacementExport`; no person is named in it.
struct PrintableReport: Sendable {
    /// One indicator: a target's figures as text a clerk reads.
    struct Indicator: Sendable {
        let title: String
        let inMonth: String
        let yearToDate: String
        let periodToDate: String
        let plan: String
        let percent: String
        let basis: String
        let pace: String
    }

    /// One breakdown (by district, ward, ...) with its groups.
    struct Breakdown: Sendable {
        let title: String
        let groups: [(name: String, count: String)]
    }

    let month: Month
    let asOf: LocalDate
    let indicators: [Indicator]
    let breakdowns: [Breakdown]

    /// The report of `month` as it stood at the end of `asOf`.
    static func make(month: Month, asOf: LocalDate, client: PostgresClient, logger: Logger) async throws -> PrintableReport {
        let spec = PlacementExportSpec(range: .month(month), asOf: asOf, fullCCCD: false)
        let rows = try await ReportSnapshot.run(on: client, logger: logger) { connection in
            let collector = SummaryCollector(section: PlacementExport.sections[1])
            try await PlacementExport(connection: connection, logger: logger, spec: spec).write(to: collector) { _ in }
            return collector.rows.map { $0.map(Self.text) }
        }
        var indicators: [Indicator] = []
        var breakdowns: [Breakdown] = []
        let dimensionTitles = Set(PlacementExportSummary.dimensions.map(\.title))
        for row in rows where row.count >= 3 {
            if row[0] == "Chỉ tiêu", row.count >= 9 {
                indicators.append(
                    Indicator(
                        title: row[1],
                        inMonth: row[2],
                        yearToDate: row[3],
                        periodToDate: row[4],
                        plan: row[5],
                        percent: row[6] + "%",
                        basis: row[7],
                        pace: row[8]
                    )
                )
            } else if dimensionTitles.contains(row[0]) {
                if breakdowns.last?.title != row[0] { breakdowns.append(Breakdown(title: row[0], groups: [])) }
                let last = breakdowns.removeLast()
                breakdowns.append(Breakdown(title: last.title, groups: last.groups + [(row[1], row[2])]))
            }
        }
        return PrintableReport(month: month, asOf: asOf, indicators: indicators, breakdowns: breakdowns)
    }

    /// A cell as printed: numbers with Vietnamese separators, dates as dd/mm/yyyy.
    static func text(_ cell: TableCell) -> String {
        switch cell {
        case .text(let text): text
        case .integer(let value): VietnameseFormat.number(value)
        case .date(let day): day.vietnamese
        case .decimal(let value, let places):
            places == 0 ? VietnameseFormat.number(Int64(value.rounded())) : VietnameseFormat.decimal(value)
        case .empty: ""
        }
    }
}
