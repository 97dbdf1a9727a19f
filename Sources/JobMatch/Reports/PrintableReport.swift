import JobMatchCore
import Logging
import PostgresNIO

/// The monthly or yearly report as the department receives it, ready to print: the export's
/// summary (each target in the month or year, year to date and period to date against the plan, on
/// its basis, and the breakdowns), worked out in one snapshot by `PlacementExport`; no person is
/// named in it. The printed page and the XLSX form are both drawn from it.
struct PrintableReport: Sendable {
    /// What the report covers: a month, or a calendar year (the yearly roadmap's report).
    enum Kind: Sendable, Equatable {
        case month(Month)
        case year(Int)

        var range: PlacementExportSpec.Range {
            switch self {
            case .month(let month): .month(month)
            case .year(let year): .years(first: year, last: year)
            }
        }

        /// "tháng 11/2026" or "năm 2026", as the title says it.
        var label: String {
            switch self {
            case .month(let month): "tháng " + VietnameseFormat.month(year: month.year, month: month.month)
            case .year(let year): "năm \(year)"
            }
        }

        /// The file's name: `bao-cao-thang-2026-11` or `bao-cao-nam-2026`.
        var fileName: String {
            switch self {
            case .month(let month): "bao-cao-thang-\(month)"
            case .year(let year): "bao-cao-nam-\(year)"
            }
        }

        /// The page's path and query: `monthly?month=2026-11` or `yearly?year=2026`.
        var query: String {
            switch self {
            case .month(let month): "monthly?month=\(month)"
            case .year(let year): "yearly?year=\(year)"
            }
        }

        /// "tháng" or "năm": the period the report's own figures cover.
        var unit: String {
            switch self {
            case .month: "tháng"
            case .year: "năm"
            }
        }

        var lastDay: LocalDate {
            switch self {
            case .month(let month): month.endExclusive.adding(days: -1)
            case .year(let year): LocalDate(year: year, month: 12, day: 31)!
            }
        }
    }

    /// One indicator: a target's figures, as numbers (for the XLSX) and as text a clerk reads.
    struct Indicator: Sendable {
        let title: String
        let inRange: Int64
        let yearToDate: Int64
        let periodToDate: Int64
        let plan: Int64
        let percent: Double
        let basis: String
        let pace: Double?

        /// The figures as printed on the page, keyed as the template names them.
        var printed: [String: Any] {
            [
                "title": self.title, "inRange": VietnameseFormat.number(self.inRange), "yearToDate": VietnameseFormat.number(self.yearToDate),
                "periodToDate": VietnameseFormat.number(self.periodToDate), "plan": VietnameseFormat.number(self.plan),
                "percent": VietnameseFormat.percent(self.percent), "basis": self.basis,
                "pace": self.pace.map(VietnameseFormat.decimal) ?? "",
            ]
        }
    }

    /// One breakdown (by district, ward, ...) with its groups.
    struct Breakdown: Sendable {
        let title: String
        let groups: [(name: String, count: Int64)]
    }

    let kind: Kind
    let asOf: LocalDate
    let indicators: [Indicator]
    let breakdowns: [Breakdown]

    /// The report of `kind` as it stood at the end of `asOf`, read where `reads` sends it.
    static func make(_ kind: Kind, asOf: LocalDate, reads: ReadRouter, logger: Logger) async throws -> PrintableReport {
        let spec = PlacementExportSpec(range: kind.range, asOf: asOf, fullCCCD: false)
        let route = reads.route()
        let rows = try await ReportSnapshot.run(on: route.client, logger: logger) { connection in
            let collector = SummaryCollector(section: PlacementExport.sections[1])
            try await PlacementExport(connection: connection, logger: logger, spec: spec, temporaryTables: route.temporaryTables)
                .write(to: collector) { _ in }
            return collector.rows
        }
        var indicators: [Indicator] = []
        var breakdowns: [Breakdown] = []
        let dimensionTitles = Set(PlacementExportSummary.dimensions.map(\.title))
        for row in rows where row.count >= 3 {
            guard case .text(let label) = row[0] else { continue }
            if label == "Chỉ tiêu", row.count >= 9 {
                indicators.append(
                    Indicator(
                        title: Self.text(row[1]),
                        inRange: Self.integer(row[2]),
                        yearToDate: Self.integer(row[3]),
                        periodToDate: Self.integer(row[4]),
                        plan: Self.integer(row[5]),
                        percent: Self.decimal(row[6]) ?? 0,
                        basis: Self.text(row[7]),
                        pace: Self.decimal(row[8])
                    )
                )
            } else if dimensionTitles.contains(label) {
                if breakdowns.last?.title != label { breakdowns.append(Breakdown(title: label, groups: [])) }
                let last = breakdowns.removeLast()
                breakdowns.append(Breakdown(title: last.title, groups: last.groups + [(Self.text(row[1]), Self.integer(row[2]))]))
            }
        }
        return PrintableReport(kind: kind, asOf: asOf, indicators: indicators, breakdowns: breakdowns)
    }

    private static func text(_ cell: TableCell) -> String {
        switch cell {
        case .text(let text): text
        case .integer(let value): String(value)
        case .date(let day): day.vietnamese
        case .decimal(let value, _): VietnameseFormat.decimal(value)
        case .empty: ""
        }
    }

    private static func integer(_ cell: TableCell) -> Int64 {
        if case .integer(let value) = cell { return value }
        return 0
    }

    private static func decimal(_ cell: TableCell) -> Double? {
        switch cell {
        case .decimal(let value, _): value
        case .integer(let value): Double(value)
        default: nil
        }
    }
}
