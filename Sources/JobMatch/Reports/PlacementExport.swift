import JobMatchCore
import Logging
import PostgresNIO

/// Writes a placement export to a `TableWriter`, section by section, reading everything in one
/// snapshot (`ReportSnapshot`): the counted placements (rule: docs/counting.md) with Vietnamese headers,
/// the summary against the targets, and, for a month, the corrections to earlier months.
///
/// With a `CopyOutConnector`, the list's rows are read with binary `COPY` on a libpq connection
/// of their own that joins this connection's snapshot, while this connection reads the summary's
/// counts and the corrections at the same time (docs/exports.md, "How an export is read").
/// Without one, everything is read here, the rows decoded by PostgresNIO.
struct PlacementExport {
    let connection: PostgresConnection
    let logger: Logger
    let spec: PlacementExportSpec
    let copy: CopyOutConnector?
    /// Whether the rows read here (without `copy`) and the summary share the people counted
    /// through a temporary table; not on a standby, which cannot create one: there each query
    /// counts them itself.
    let temporaryTables: Bool

    init(connection: PostgresConnection, logger: Logger, spec: PlacementExportSpec, copy: CopyOutConnector? = nil, temporaryTables: Bool = true) {
        self.connection = connection
        self.logger = logger
        self.spec = spec
        self.copy = copy
        self.temporaryTables = temporaryTables
    }

    static let sections = ["Danh sách", "Tổng hợp", "Điều chỉnh"]
    /// The columns of `rowsSQL`'s rows (without the counts `totals` adds).
    static let columns = 19

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

    /// Writes every section; `flush` receives the bytes as they accumulate.
    func write(to writer: any TableWriter, flush: ([UInt8]) async throws -> Void) async throws {
        let counting = try await self.counting()
        if let copy = self.copy {
            try await self.writeCopying(with: copy, counting: counting, to: writer, flush: flush)
        } else {
            try await self.writeDecoding(counting: counting, to: writer, flush: flush)
        }
    }

    /// The list read with binary COPY on a second connection in this one's snapshot; the summary's
    /// counts and the corrections read here meanwhile. The list's own query counts the people, as
    /// `psql \copy` of it would; the summary counts them again only when the list is not that count.
    private func writeCopying(
        with connector: CopyOutConnector,
        counting: ExportCounting,
        to writer: any TableWriter,
        flush: ([UInt8]) async throws -> Void
    ) async throws {
        let end = min(self.spec.lastDay, counting.end)
        let counted = counting.source(upTo: end, asOf: self.spec.asOf, abroad: false)
        let yearStart = PlacementExportSummary.yearStart(of: counting.start, spec: self.spec)
        // A list that starts after its target's period does (a month) is not the whole count: its
        // rows carry the period's and the year's counts, worked out in the same pass as the list,
        // so the summary does not count the period a second time.
        let totalsInRows = self.spec.firstDay != counting.start
        let source = totalsInRows ? PlacementExportSummary.withTotals(counted, yearStart: yearStart) : counted
        let columns = Self.columns + (totalsInRows ? 2 : 0)
        guard let snapshot = try await self.connection.query("SELECT pg_export_snapshot()", logger: self.logger).first(String.self) else {
            throw CopyOutStream.Failure(description: "no snapshot to share")
        }
        // Started first: opening the COPY returns only once its first rows are ready, which for a
        // month (its counts) is after the whole period has been counted.
        async let extras = self.summaryAndCorrections(counting: counting, counted: .list)
        let stream = try await CopyOutStream.open(
            connector,
            snapshot: snapshot,
            // The settings `ReportSnapshot` gives the export's own transaction.
            setup: "\(ReportSnapshot.plannerSetting); \(LongWork.export.settingsSQL)",
            copy: "COPY (\(Self.rowsSQL(source: source, from: self.spec.firstDay, totals: totalsInRows))) TO STDOUT (FORMAT binary)"
        )
        do {
            try writer.beginSection(Self.sections[0], header: Self.header)
            var listed = PlacementExportSummary.Listed(yearStart: yearStart)
            var breakdowns = Breakdowns()
            var reader = BinaryCopyReader()
            let fullCCCD = self.spec.fullCCCD
            // CSV is written straight from the COPY's bytes; XLSX through its writer's cells.
            let csv = writer as? CSVTableWriter
            var csvRows = PlacementCSVRows(fullCCCD: fullCCCD)
            while let chunk = try await stream.next() {
                try Task.checkCancellation()
                try reader.read(chunk) { copied in
                    guard copied.fields.count == columns else {
                        throw BinaryCopyReader.Malformed(description: "a row has \(copied.fields.count) columns, not \(columns)")
                    }
                    if totalsInRows, listed.totals == nil, let inPeriod = copied.integer(columns - 2), let inYear = copied.integer(columns - 1) {
                        listed.totals = (inPeriod, inYear)
                    }
                    let number = listed.count(countingDate: copied.field(PlacementExportRow.countingDateColumn))
                    if let csv {
                        try csv.rawRow { out in try csvRows.append(copied, number: number, to: &out, breakdowns: &breakdowns) }
                    } else {
                        let row = try PlacementExportRow(copied)
                        row.count(in: &breakdowns)
                        try writer.row(row.cells(number: number, fullCCCD: fullCCCD))
                    }
                }
                if writer.pendingCount >= 1 << 16 { try await flush(writer.drain()) }
            }
            guard reader.finished else { throw BinaryCopyReader.Malformed(description: "the COPY ended without its trailer") }
            await stream.close()
            let (targets, corrections) = try await extras
            let summary = PlacementExportSummary(connection: self.connection, logger: self.logger, spec: self.spec)
            if totalsInRows, listed.totals == nil {
                // No row in the range, so none carried the counts: the period is counted here.
                let counts = try await summary.counts(of: counted, yearStart: yearStart)
                listed.totals = (counts.inPeriod, counts.inYear)
            }
            try writer.beginSection(Self.sections[1], header: PlacementExportSummary.header)
            try summary.write(counting: counting, targets: targets, listed: listed, breakdowns: breakdowns, to: writer)
            try await flush(writer.drain())
            try writer.beginSection(Self.sections[2], header: PlacementCorrections.header)
            for row in corrections { try writer.row(row) }
            try writer.finish()
            try await flush(writer.drain())
        } catch {
            await stream.close()
            throw error
        }
    }

    /// Everything read on this connection: the people counted in the period up to the range's end
    /// are worked out once, into a temporary table the rows and the summary both read (with
    /// `temporaryTables`; else each counts them).
    private func writeDecoding(counting: ExportCounting, to writer: any TableWriter, flush: ([UInt8]) async throws -> Void) async throws {
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
        let source = self.temporaryTables ? "export_counted" : counted
        let breakdowns = try await self.placements(source: source, writer: writer, flush: flush)
        let (targets, corrections) = try await self.summaryAndCorrections(counting: counting, counted: .table(source))
        try writer.beginSection(Self.sections[1], header: PlacementExportSummary.header)
        try PlacementExportSummary(connection: self.connection, logger: self.logger, spec: self.spec)
            .write(counting: counting, targets: targets, listed: nil, breakdowns: breakdowns, to: writer)
        try await flush(writer.drain())
        try writer.beginSection(Self.sections[2], header: PlacementCorrections.header)
        for row in corrections { try writer.row(row) }
        try writer.finish()
        try await flush(writer.drain())
    }

    /// The summary's target counts and, for a month, the corrections: a few rows, read on this connection.
    private func summaryAndCorrections(
        counting: ExportCounting,
        counted: PlacementExportSummary.Counted
    ) async throws -> ([PlacementExportSummary.Target], [[TableCell]]) {
        let targets = try await PlacementExportSummary(connection: self.connection, logger: self.logger, spec: self.spec)
            .targets(counting: counting, counted: counted)
        guard case .month(let month) = self.spec.range else { return (targets, []) }
        let corrections = try await PlacementCorrections(connection: self.connection, logger: self.logger, spec: self.spec)
            .rows(month: month, counting: counting)
        return (targets, corrections)
    }

    /// The rows' query over `source`, the counted people (the export's temporary table, or the
    /// counting function's call itself when the rows are read with COPY; the benchmark times the
    /// latter in psql).
    /// `totals`: `source` is `PlacementExportSummary.withTotals`, whose two counts end each row.
    static func rowsSQL(source: String, from firstDay: LocalDate, totals: Bool = false) -> String {
        """
        SELECT pw.full_name, date_part('year', pw.birth_date)::int, pw.sex, pw.ethnicity, pw.cccd, pw.disability_type IS NOT NULL,
               COALESCE(hs.status, 'none'), pw.ward_code, wd.ward_name, ld.district_name,
               p.occupation_code, COALESCE(o.title_vi, o.title_en), COALESCE(e.name, oe.name), p.destination_country, p.channel,
               c.counting_date::text, p.wage_vnd, p.contract_type, p.contract_end_date::text\(totals ? ", c.counted_in_period, c.counted_in_year" : "")
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

    /// One row per counted placement of `source` whose counting date falls in the range, by date
    /// then entry, decoded by PostgresNIO; returns the rows counted by each breakdown of the summary.
    private func placements(source: String, writer: any TableWriter, flush: ([UInt8]) async throws -> Void) async throws -> Breakdowns {
        var breakdowns = Breakdowns()
        let rows = try await self.connection.query(
            PostgresQuery(unsafeSQL: Self.rowsSQL(source: source, from: self.spec.firstDay)),
            logger: self.logger
        )
        var number: Int64 = 0
        for try await decoded in rows {
            let row = try PlacementExportRow(decoded)
            number += 1
            row.count(in: &breakdowns)
            try writer.row(row.cells(number: number, fullCCCD: self.spec.fullCCCD))
            if writer.pendingCount >= 1 << 16 { try await flush(writer.drain()) }
        }
        return breakdowns
    }
}
