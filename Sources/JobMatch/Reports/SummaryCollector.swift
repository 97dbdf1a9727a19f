import JobMatchCore

/// A `TableWriter` that keeps the rows of one section of an export in memory and drops the rest:
/// the printable report takes the summary ("Tổng hợp") and never the list of people.
final class SummaryCollector: TableWriter {
    let section: String
    private var current = ""
    private(set) var rows: [[TableCell]] = []

    init(section: String) {
        self.section = section
    }

    func beginSection(_ name: String, header: [String]) throws { self.current = name }
    func row(_ cells: [TableCell]) throws { if self.current == self.section { self.rows.append(cells) } }
    func finish() throws {}
    var pendingCount: Int { 0 }
    func drain() -> [UInt8] { [] }
}
