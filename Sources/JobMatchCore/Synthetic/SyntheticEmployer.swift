/// An employer of the synthetic province: its trade (the occupation it hires most) and ward.
public struct SyntheticEmployer: Sendable {
    public let number: Int
    public let name: String
    public let sector: String
    public let mainOccupation: String
    public let ward: SeedWard

    /// Employer `number` (from 1, largest first), drawn from `seed` and its number alone.
    public static func make(number: Int, seed: UInt64, wards: WeightedTable<SeedWard>) -> SyntheticEmployer {
        var generator = SeededGenerator(seed: seed ^ 0xE3_9A11, item: number)
        // The largest employers (the first numbers) are the factories of the most demanded trades.
        let demand = MekongLabourProfile.demand
        let occupation = number <= VacancyProfile.factoryEmployers ? demand[number - 1] : MekongLabourProfile.demandTable.pick(using: &generator)
        let ward = wards.pick(using: &generator)
        let (kind, sector) = VacancyProfile.employerKind(for: occupation)
        return SyntheticEmployer(number: number, name: "\(kind) mẫu \(number)", sector: sector, mainOccupation: occupation, ward: ward)
    }
}
