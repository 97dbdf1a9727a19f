/// A report file written front to back: one or more sections (sheets in XLSX), each a title, a
/// header and rows. Bytes wait in the writer until `drain()`, so a caller streaming a large
/// report sends them as it goes and memory stays flat.
public protocol TableWriter: AnyObject {
    /// Starts a section named `name` with these column headers.
    func beginSection(_ name: String, header: [String]) throws
    /// A row of the current section.
    func row(_ cells: [TableCell]) throws
    /// Ends the file.
    func finish() throws
    /// How many bytes wait to be drained.
    var pendingCount: Int { get }
    /// Hands over the bytes written so far.
    func drain() -> [UInt8]
}
