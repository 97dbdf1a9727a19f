/// How a jobs or abroad target counts a person (docs/counting.md): once in each calendar year a job
/// counts them, the period's figure being the sum of its years (`yearly`, the default), or once in
/// the whole period (`distinct`). Every figure shows the other basis beside it, named apart.
enum CountingBasis: String, Codable, Sendable, CaseIterable {
    case yearly
    case distinct

    var other: CountingBasis { self == .yearly ? .distinct : .yearly }

    /// What the figure is, for a reader who must not confuse the two.
    var vietnamese: String {
        switch self {
        case .yearly: "Lượt người theo năm (mỗi người tính một lần trong mỗi năm có việc làm; cả kỳ là tổng các năm)"
        case .distinct: "Số người khác nhau (mỗi người tính một lần trong cả kỳ)"
        }
    }
}
