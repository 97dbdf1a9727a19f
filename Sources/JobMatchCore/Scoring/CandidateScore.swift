import Foundation

/// A candidate's score and the parts it is made of; the total is always the sum of the parts.
public struct CandidateScore: Codable, Equatable, Sendable {
    public let parts: [ScorePart]
    public var total: Int { self.parts.reduce(0) { $0 + $1.points } }

    public init(parts: [ScorePart]) {
        self.parts = parts
    }
}

extension Double {
    /// One decimal with a Vietnamese decimal comma ("3,5").
    var formatted1: String {
        let tenths = Int((self * 10).rounded())
        return "\(tenths / 10),\(abs(tenths % 10))"
    }
}
