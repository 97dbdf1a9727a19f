import Foundation

/// What scoring needs to know about a worker and a vacancy, as of `today`.
public struct CandidateFacts: Sendable, Equatable {
    public var householdStatus: HouseholdStatus
    public var workerOccupations: [String]
    public var vacancyOccupation: String
    public var completedTrainingOccupations: [String]
    /// Between the worker's ward and the vacancy's ward; nil when a ward has no coordinates.
    public var distanceKm: Double?
    public var maxCommuteKm: Int?
    public var registeredOn: LocalDate
    public var today: LocalDate
    public var sex: Sex
    /// As registered (e.g. "Kinh", "Khơ-me"), when known; setting it sets `isEthnicMinority`.
    public var ethnicity: String? {
        didSet { self.isEthnicMinority = MatchingRules.isEthnicMinority(self.ethnicity) }
    }
    /// An ethnicity other than Kinh was recorded (`MatchingRules.isEthnicMinority`).
    public var isEthnicMinority: Bool
    public var hasDisability: Bool

    public enum Sex: String, Sendable, CaseIterable { case male, female }

    /// `ethnicity` as registered (e.g. "Kinh", "Khơ-me"), nil when not given.
    public init(
        householdStatus: HouseholdStatus,
        workerOccupations: [String],
        vacancyOccupation: String,
        completedTrainingOccupations: [String] = [],
        distanceKm: Double? = nil,
        maxCommuteKm: Int? = nil,
        registeredOn: LocalDate,
        today: LocalDate,
        sex: Sex = .male,
        ethnicity: String? = nil,
        hasDisability: Bool = false
    ) {
        self.init(
            householdStatus: householdStatus,
            workerOccupations: workerOccupations,
            vacancyOccupation: vacancyOccupation,
            completedTrainingOccupations: completedTrainingOccupations,
            distanceKm: distanceKm,
            maxCommuteKm: maxCommuteKm,
            registeredOn: registeredOn,
            today: today,
            sex: sex,
            ethnicMinority: MatchingRules.isEthnicMinority(ethnicity),
            hasDisability: hasDisability
        )
        self.ethnicity = ethnicity
    }

    public init(
        householdStatus: HouseholdStatus,
        workerOccupations: [String],
        vacancyOccupation: String,
        completedTrainingOccupations: [String],
        distanceKm: Double?,
        maxCommuteKm: Int?,
        registeredOn: LocalDate,
        today: LocalDate,
        sex: Sex,
        ethnicMinority: Bool,
        hasDisability: Bool
    ) {
        self.householdStatus = householdStatus
        self.workerOccupations = workerOccupations
        self.vacancyOccupation = vacancyOccupation
        self.completedTrainingOccupations = completedTrainingOccupations
        self.distanceKm = distanceKm
        self.maxCommuteKm = maxCommuteKm
        self.registeredOn = registeredOn
        self.today = today
        self.sex = sex
        self.ethnicity = nil
        self.isEthnicMinority = ethnicMinority
        self.hasDisability = hasDisability
    }
}
