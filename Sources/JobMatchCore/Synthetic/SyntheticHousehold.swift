/// A household that came to the centre: its ward, its recognised status, its ethnicity and the
/// members who registered (`MekongLabourProfile` gives every proportion).
public struct SyntheticHousehold: Sendable {
    public let firstIndex: Int
    public let ward: SeedWard
    public let status: HouseholdStatus
    public let members: [SyntheticWorker]

    /// The household whose first member is person `index`, with at most `maxSize` members; its
    /// draws depend only on `seed` and `index`.
    public static func make(index: Int, maxSize: Int, seed: UInt64, wards: WeightedTable<SeedWard>, today: LocalDate) -> SyntheticHousehold {
        var generator = SeededGenerator(seed: seed, item: index)
        let profile = MekongLabourProfile.self
        let size = min(maxSize, profile.householdSizes.pick(using: &generator))
        let ward = wards.pick(using: &generator)
        let status = profile.statuses.pick(using: &generator)
        let ethnicity = profile.ethnicities.pick(using: &generator)
        let surname = SyntheticPerson.surnames(for: ethnicity).pick(using: &generator)
        var members: [SyntheticWorker] = []
        for offset in 0..<size {
            // Most members of a household share the head's surname (children, siblings); spouses do not.
            let shared = offset == 0 || generator.chance(0.6)
            members.append(
                SyntheticWorker.make(
                    index: index + offset,
                    surname: shared ? surname : nil,
                    ethnicity: ethnicity,
                    using: &generator,
                    today: today
                )
            )
        }
        return SyntheticHousehold(firstIndex: index, ward: ward, status: status, members: members)
    }

    /// The wards as a table weighted by how many registrants live there.
    public static func wardTable(_ wards: [SeedWard]) -> WeightedTable<SeedWard> {
        WeightedTable(wards.map { ($0, $0.populationWeight) })
    }
}
