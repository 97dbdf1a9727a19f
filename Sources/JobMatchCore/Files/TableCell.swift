/// One cell of a report, typed so that each file format can write it properly (an ID stays text
/// with its leading zeros, a date is a date).
public enum TableCell: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case date(LocalDate)
    /// A number shown with `places` decimals (percentages of a plan).
    case decimal(Double, places: Int)
    case empty

    /// Text, or empty for nil.
    public static func text(_ value: String?) -> TableCell { value.map { .text($0) } ?? .empty }
    /// An integer, or empty for nil.
    public static func integer(_ value: Int64?) -> TableCell { value.map { .integer($0) } ?? .empty }
}
