/// The file formats a report can be downloaded in.
public enum TableFormat: String, Sendable, CaseIterable {
    case csv
    case xlsx

    /// A new writer for this format; `sections` names every section in order (XLSX declares its
    /// sheets first).
    public func writer(sections: [String]) -> any TableWriter {
        switch self {
        case .csv: CSVTableWriter()
        case .xlsx: XLSXWriter(sheets: sections)
        }
    }

    public var contentType: String {
        switch self {
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }
}
