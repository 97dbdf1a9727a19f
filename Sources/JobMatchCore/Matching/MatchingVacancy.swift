/// An open vacancy as the filters and the score need it.
public struct MatchingVacancy: Sendable, Equatable {
    public let id: Int64
    public let occupation: String
    public let lat: Double?
    public let lon: Double?
    public let minAge: Int?
    public let maxAge: Int?
    public let openToAbroadBound: Bool

    public init(id: Int64, occupation: String, lat: Double?, lon: Double?, minAge: Int?, maxAge: Int?, openToAbroadBound: Bool) {
        self.id = id
        self.occupation = occupation
        self.lat = lat
        self.lon = lon
        self.minAge = minAge
        self.maxAge = maxAge
        self.openToAbroadBound = openToAbroadBound
    }
}
