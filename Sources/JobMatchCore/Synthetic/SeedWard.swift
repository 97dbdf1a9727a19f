/// A ward of the home province as the seeders place people and employers in it.
public struct SeedWard: Sendable, Equatable {
    /// The legacy (pre-July-2025) ward, its district, and the 2025 ward it became by default.
    public let legacy: String
    public let district: String
    public let ward: String
    /// A phường or thị trấn (town) rather than a rural xã: somewhat more people live there.
    public let urban: Bool

    public init(legacy: String, district: String, ward: String, urban: Bool) {
        self.legacy = legacy
        self.district = district
        self.ward = ward
        self.urban = urban
    }

    /// Relative number of registrants: towns 1.5, rural communes 1.
    var populationWeight: Double { self.urban ? 1.5 : 1 }
}
