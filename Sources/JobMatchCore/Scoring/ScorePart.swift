import Foundation

/// One additive part of a candidate's score, with the reason in Vietnamese.
public struct ScorePart: Codable, Equatable, Sendable {
    public let key: String
    public let points: Int
    public let reason: String

    public init(key: String, points: Int, reason: String) {
        self.key = key
        self.points = points
        self.reason = reason
    }
}
