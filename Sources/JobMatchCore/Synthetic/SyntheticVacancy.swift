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
