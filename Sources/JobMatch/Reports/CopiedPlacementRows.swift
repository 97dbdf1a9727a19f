import JobMatchCore

/// The list's rows as they arrive from the COPY, turned into the file's rows and counted (the
/// summary's breakdowns, the list's length and counts). Runs on the COPY's own thread, one chunk at
/// a time, with the export's task waiting for it: one user at a time, never at once.
final class CopiedPlacementRows: @unchecked Sendable {
    let writer: any TableWriter
    private let csv: CSVTableWriter?
    private let columns: Int
    private let totalsInRows: Bool
    private let fullCCCD: Bool
    private var reader = BinaryCopyReader()
    private var csvRows: PlacementCSVRows
    private(set) var listed: PlacementExportSummary.Listed
    private(set) var breakdowns = Breakdowns()

    /// `totalsInRows`: the rows end with the period's and the year's counts (`withTotals`).
    init(writer: any TableWriter, columns: Int, totalsInRows: Bool, fullCCCD: Bool, yearStart: LocalDate) {
        self.writer = writer
        // CSV is written straight from the COPY's bytes; XLSX through its writer's cells.
        self.csv = writer as? CSVTableWriter
        self.columns = columns
        self.totalsInRows = totalsInRows
        self.fullCCCD = fullCCCD
        self.csvRows = PlacementCSVRows(fullCCCD: fullCCCD)
        self.listed = PlacementExportSummary.Listed(yearStart: yearStart)
    }

    /// Whether the COPY's trailer has been read (a stream that ends without it was cut short).
    var finished: Bool { self.reader.finished }

    /// Writes and counts every whole row of `chunk`.
    func consume(_ chunk: [UInt8]) throws {
        let (columns, totalsInRows, fullCCCD, csv, writer) = (self.columns, self.totalsInRows, self.fullCCCD, self.csv, self.writer)
        try self.reader.read(chunk) { copied in
            guard copied.fields.count == columns else {
                throw BinaryCopyReader.Malformed(description: "a row has \(copied.fields.count) columns, not \(columns)")
            }
            if totalsInRows, self.listed.totals == nil, let inPeriod = copied.integer(columns - 2), let inYear = copied.integer(columns - 1) {
                self.listed.totals = (inPeriod, inYear)
            }
            let number = self.listed.count(countingDate: copied.field(PlacementExportRow.countingDateColumn))
            if let csv {
                try csv.rawRow { out in try self.csvRows.append(copied, number: number, to: &out, breakdowns: &self.breakdowns) }
            } else {
                let row = try PlacementExportRow(copied)
                row.count(in: &self.breakdowns)
                try writer.row(row.cells(number: number, fullCCCD: fullCCCD))
            }
        }
    }

    /// The list's counts, with what the summary counted itself when no row carried them.
    func setTotals(_ totals: (inPeriod: Int64, inYear: Int64)) {
        self.listed.totals = totals
    }
}
