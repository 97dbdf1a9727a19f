/// The priority group a training support is granted under, with its cap in VND (Decision 46/2015).
enum TrainingSupportBasis: String, CaseIterable, Sendable {
    case disability
    case poorEthnicMinority = "poor_ethnic_minority"
    case poor
    case nearPoor = "near_poor"
    case ruralOrWomen = "rural_or_women"

    var capVND: Int64 {
        switch self {
        case .disability: 6_000_000
        case .poorEthnicMinority: 4_000_000
        case .poor: 3_000_000
        case .nearPoor: 2_500_000
        case .ruralOrWomen: 2_000_000
        }
    }
}
