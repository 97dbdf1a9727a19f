import JobMatchCore
import Logging
import PostgresNIO

/// Writes a placement export to a `TableWriter`, section by section, reading everything in one
/// snapshot (`ReportSnapshot`): the counted placements (rule: docs/counting.md) with Vietnamese headers,
/// the summary against the targets, and, for a month, the corrections to earlier months.
struct PlacementExport {
    let connection: PostgresConnection
    let logger: Logger
    let spec: PlacementExportSpec
    /// Whether the people counted are worked out once into a temporary table; not on a standby,
    /// which cannot create one: there the rows and the summary each count them in their query.
    var temporaryTables = true

    static let sections = ["Danh sách", "Tổng hợp", "Điều chỉnh"]

    static let header = [
        "STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "CCCD", "Khuyết tật", "Tình trạng hộ (tại ngày tính)",
        "Mã xã/phường (2025)", "Xã/phường (2025)", "Huyện cũ", "Mã nghề", "Nghề",
        "Đơn vị sử dụng lao động / Doanh nghiệp đưa đi", "Nước đến", "Kênh", "Ngày bắt đầu / ngày xuất cảnh", "Mức lương (VND/tháng)",
        // Added with issue 20 at the end, so that the columns before keep their places.
        "Loại hợp đồng", "Ngày kết thúc hợp đồng",
    ]

    /// How the file counts: the jobs target whose period holds the range (the longest such, its
    /// basis and territory), or the range's calendar years on the yearly basis when none does.
    func counting() async throws -> ExportCounting {
        let (first, last) = (self.spec.firstDay.description, self.spec.lastDay.description)
        let rows = try await self.connection.query(
            """
            SELECT key, basis, period_start::text, period_end::text FROM targets
            WHERE indicator = 'jobs' AND period_start <= \(first)::date AND period_end >= \(last)::date
            ORDER BY period_end - period_start DESC, period_start DESC, key LIMIT 1
            """,
            logger: self.logger
        )
        if let (key, basis, start, end) = try await rows.decode((String, String?, String, String).self).first(where: { _ in true }),
            let s = LocalDate(start), let e = LocalDate(end)
        {
            return ExportCounting(targetKey: key, basis: basis.flatMap(CountingBasis.init(rawValue:)) ?? .yearly, start: s, end: e)
        }
        return ExportCounting(
            targetKey: nil,
            basis: .yearly,
            start: LocalDate(year: self.spec.firstDay.year, month: 1, day: 1)!,
            end: LocalDate(year: self.spec.lastDay.year, month: 12, day: 31)!
        )
    }

    /// Writes every section; `flush` receives the bytes as they accumulate. The people counted in
    /// the period up to the range's end are worked out once, into a temporary table the rows and
    /// the summary both read (with `temporaryTables`).
    func write(to writer: any TableWriter, flush: ([UInt8]) async throws -> Void) async throws {
        let counting = try await self.counting()
        let end = min(self.spec.lastDay, counting.end)
        let counted = counting.source(upTo: end, asOf: self.spec.asOf, abroad: false)
        if self.temporaryTables {
            // Dates and the target's key only, written into the statement so that the log shows it whole.
            try await self.connection.query(
                PostgresQuery(unsafeSQL: "CREATE TEMP TABLE export_counted ON COMMIT DROP AS SELECT * FROM \(counted)"),
                logger: self.logger
            )
            try await self.connection.query("ANALYZE export_counted", logger: self.logger)
        }
        try writer.beginSection(Self.sections[0], header: Self.header)
        let breakdowns = try await self.placements(source: self.temporaryTables ? "export_counted" : counted, writer: writer, flush: flush)
        try writer.beginSection(Self.sections[1], header: PlacementExportSummary.header)
        try await PlacementExportSummary(connection: self.connection, logger: self.logger, spec: self.spec)
            .write(counting: counting, countedTable: self.temporaryTables ? "export_counted" : nil, breakdowns: breakdowns, to: writer)
        try await flush(writer.drain())
        try writer.beginSection(Self.sections[2], header: PlacementCorrections.header)
        if case .month(let month) = self.spec.range {
            try await PlacementCorrections(connection: self.connection, logger: self.logger, spec: self.spec)
                .write(month: month, counting: counting, to: writer)
        }
        try writer.finish()
        try await flush(writer.drain())
    }

    /// The rows' query over `source`, the counted people (the export's temporary table; the
    /// benchmark puts the `counted_placements` call in its place to time the same query in psql).
    static func rowsSQL(source: String, from firstDay: LocalDate) -> String {
        """
        SELECT pw.full_name, date_part('year', pw.birth_date)::int, pw.sex, pw.ethnicity, pw.cccd, pw.disability_type IS NOT NULL,
               COALESCE(hs.status, 'none'), pw.ward_code, wd.ward_name, ld.district_name,
               p.occupation_code, COALESCE(o.title_vi, o.title_en), COALESCE(e.name, oe.name), p.destination_country, p.channel,
               c.counting_date::text, p.wage_vnd, p.contract_type, p.contract_end_date::text
        FROM \(source) c
        \(CountedPlacement.joins)
        LEFT JOIN occupations o ON o.code = p.occupation_code
        LEFT JOIN employers e ON e.id = p.employer_id
        LEFT JOIN overseas_contracts oc ON oc.id = p.overseas_contract_id
        LEFT JOIN overseas_enterprises oe ON oe.id = oc.enterprise_id
        WHERE c.counting_date >= '\(firstDay.description)'::date
        ORDER BY c.counting_date, c.placement_id
        """
    }

    /// One row per counted placement whose counting date falls in the range, by date then entry;
    /// returns the rows counted by each breakdown of the summary.
    private func placements(source: String, writer: any TableWriter, flush: ([UInt8]) async throws -> Void) async throws -> Breakdowns {
        var breakdowns = Breakdowns()
        let rows = try await self.connection.query(
            PostgresQuery(unsafeSQL: Self.rowsSQL(source: source, from: self.spec.firstDay)),
            logger: self.logger
        )
        var number: Int64 = 0
        for try await row in rows {
            let (
                name, birthYear, sex, ethnicity, cccd, disabled, status, wardCode, wardName, district, occupation, occupationTitle,
                enterprise, country, channel, start, wage, contract, contractEnd
            ) =
                try row.decode(
                    (
                        String, Int?, String, String?, String?, Bool, String, String, String, String?, String?, String?,
                        String?, String?, String, String, Int64?, String?, String?
                    ).self
                )
            number += 1
            let statusLabel = (HouseholdStatus(rawValue: status) ?? .none).vietnamese
            let sexLabel = (Sex(rawValue: sex) ?? .male).vietnamese
            let channelLabel = PlacementLedger.Channel(rawValue: channel)?.vietnamese ?? channel
            breakdowns.count(
                district: district,
                ward: wardCode,
                wardName: wardName,
                status: status,
                sex: sex,
                channel: channel,
                market: country,
                disabled: disabled,
                ethnicity: ethnicity,
                contract: contract
            )
            try writer.row([
                .integer(number), .text(name), .integer(birthYear.map(Int64.init)), .text(sexLabel),
                .text(ethnicity), .text(cccd.map { self.spec.fullCCCD ? $0 : CitizenID.masked($0) }), .text(disabled ? "Có" : "Không"),
                .text(statusLabel), .text(wardCode), .text(wardName), .text(district),
                .text(occupation), .text(occupationTitle), .text(enterprise), .text(country),
                .text(channelLabel), LocalDate(start).map { .date($0) } ?? .text(start), .integer(wage),
                .text(ContractType.vietnamese(contract)), contractEnd.flatMap(LocalDate.init).map { .date($0) } ?? .empty,
            ])
            if writer.pendingCount >= 1 << 16 { try await flush(writer.drain()) }
        }
        return breakdowns
    }
}
