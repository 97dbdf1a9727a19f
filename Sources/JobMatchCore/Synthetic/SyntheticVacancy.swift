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

/// An open vacancy: employer, occupation (the skill asked for), slots, age range, wage, closing day.
public struct SyntheticVacancy: Sendable {
    /// Index into the employers it was drawn from.
    public let employer: Int
    public let title: String
    public let occupation: String
    public let slots: Int
    public let minAge: Int?
    public let maxAge: Int?
    public let wageMin: Int
    public let wageMax: Int
    public let closingDate: LocalDate

    /// Vacancy `number`, posted by one of `employers` (bigger employers post more).
    public static func make(
        number: Int,
        seed: UInt64,
        employers: [SyntheticEmployer],
        employerTable: WeightedTable<Int>,
        today: LocalDate
    ) -> SyntheticVacancy {
        var generator = SeededGenerator(seed: seed ^ 0x7AC4_9C1E, item: number)
        let employer = employerTable.pick(using: &generator)
        let occupation =
            generator.chance(VacancyProfile.mainOccupationShare)
            ? employers[employer].mainOccupation : MekongLabourProfile.demandTable.pick(using: &generator)
        let slots = VacancyProfile.slots.pick(using: &generator)
        let ages = VacancyProfile.ageRanges.pick(using: &generator)
        let base = VacancyProfile.monthlyWageMillions(for: occupation)
        let wageMin = Int((base * (0.9 + 0.2 * generator.unit()) * 2).rounded()) * 500_000
        let wageMax = wageMin + Int.random(in: 2...6, using: &generator) * 500_000
        let closing = today.adding(days: Int.random(in: VacancyProfile.closingInDays, using: &generator))
        let title = VacancyProfile.titles[occupation] ?? "Lao động nghề \(occupation)"
        return SyntheticVacancy(
            employer: employer,
            title: title,
            occupation: occupation,
            slots: slots,
            minAge: ages.min,
            maxAge: ages.max,
            wageMin: wageMin,
            wageMax: wageMax,
            closingDate: closing
        )
    }
}
