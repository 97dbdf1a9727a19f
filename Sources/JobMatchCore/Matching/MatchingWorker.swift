/// One eligible worker's facts as matching reads them (before they are packed into a `WorkerTable`).
public struct MatchingWorker: Sendable, Equatable {
    public var id: Int64
    /// `workers.created_at` in microseconds since 1970: ties in the ranking go to the earlier.
    public var createdAt: Int64
    public var registeredOn: LocalDate
    public var status: HouseholdStatus
    public var occupations: [String]
    public var trainedOccupations: [String]
    public var wardCode: String?
    public var lat: Double?
    public var lon: Double?
    public var maxCommuteKm: Int?
    public var birthDate: LocalDate
    public var female: Bool
    public var minority: Bool
    public var disabled: Bool
    /// About to leave under an overseas contract (not departed, departure planned from today).
    public var leaving: Bool

    public init(
        id: Int64,
        createdAt: Int64,
        registeredOn: LocalDate,
        status: HouseholdStatus,
        occupations: [String],
        trainedOccupations: [String],
        wardCode: String?,
        lat: Double?,
        lon: Double?,
        maxCommuteKm: Int?,
        birthDate: LocalDate,
        female: Bool,
        minority: Bool,
        disabled: Bool,
        leaving: Bool
    ) {
        self.id = id
        self.createdAt = createdAt
        self.registeredOn = registeredOn
        self.status = status
        self.occupations = occupations
        self.trainedOccupations = trainedOccupations
        self.wardCode = wardCode
        self.lat = lat
        self.lon = lon
        self.maxCommuteKm = maxCommuteKm
        self.birthDate = birthDate
        self.female = female
        self.minority = minority
        self.disabled = disabled
        self.leaving = leaving
    }
}
