import Foundation
import JobMatchCore
import Testing

@Suite("Synthetic population: identities and determinism")
struct SyntheticPopulationTests {
    let today = LocalDate(year: 2026, month: 12, day: 6)!

    @Test("CCCDs and phones stay valid and distinct across millions of people, at the edges of every block")
    func identitiesUniqueAtScale() throws {
        var generator = SeededGenerator(seed: 1)
        var cccds = Set<String>()
        var phones = Set<String>()
        var indexes: [Int] = []
        for block in 0..<(SyntheticPerson.maximumIndex / 1_000_000) {
            for offset in [0, 1, 2, 499_999, 500_000, 999_998, 999_999] { indexes.append(block * 1_000_000 + offset) }
        }
        // The same birth year and sex for everyone: only the index can keep them apart.
        for index in indexes {
            let person = SyntheticPerson.make(
                index: index,
                sex: .female,
                age: 30,
                surname: "Lê",
                ethnicity: "Kinh",
                using: &generator,
                today: self.today
            )
            #expect(try CitizenID.validate(person.cccd, birthDate: person.birthDate, sex: .female) == person.cccd)
            #expect(try PhoneNumber.normalize(person.phone) == person.phone)
            cccds.insert(String(person.cccd.prefix(3)) + String(person.cccd.suffix(6)))
            phones.insert(person.phone)
        }
        #expect(cccds.count == indexes.count)
        #expect(phones.count == indexes.count)
        // Within a block the last six digits are a permutation of the index's.
        let serials = Set((0..<1_000_000).map { $0 * 738_119 % 1_000_000 })
        #expect(serials.count == 1_000_000)
    }

    @Test("a household depends only on the seed and its first index, and ages stay within 15-62")
    func householdsDeterministic() {
        let wards = SyntheticHousehold.wardTable([
            SeedWard(legacy: "31318", district: "930", ward: "31321", urban: true),
            SeedWard(legacy: "31399", district: "934", ward: "31399", urban: false),
        ])
        let first = (0..<300).map { SyntheticHousehold.make(index: $0 * 4, maxSize: 4, seed: 9, wards: wards, today: self.today) }
        let again = (0..<300).reversed().map { SyntheticHousehold.make(index: $0 * 4, maxSize: 4, seed: 9, wards: wards, today: self.today) }
            .reversed()
        let other = (0..<300).map { SyntheticHousehold.make(index: $0 * 4, maxSize: 4, seed: 10, wards: wards, today: self.today) }
        let describe = { (households: [SyntheticHousehold]) in
            households.flatMap {
                $0.members.map { "\($0.person.cccd) \($0.person.fullName) \($0.occupations) \($0.registeredAt) \($0.trainings.count)" }
            }
        }
        #expect(describe(first) == describe(Array(again)))
        #expect(describe(first) != describe(other))
        for member in first.flatMap(\.members) {
            #expect((15...62).contains(member.person.birthDate.age(on: self.today)))
            #expect(member.registeredOn <= self.today && member.registeredOn >= LocalDate(year: 2022, month: 1, day: 1)!)
            #expect(member.registeredOn >= member.person.birthDate.subtracting(years: -15) || member.registeredOn == self.today)
            for training in member.trainings { #expect(training.endDate < self.today && training.startDate < training.endDate) }
        }
    }

    @Test("every occupation, course trade and vacancy trade is a distinct ISCO-08 unit group of the reference list")
    func codesExist() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../sql/reference/isco08.csv")
            .standardized
        let units = Set(
            try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline).compactMap { line in
                line.split(separator: ",").dropFirst().first == "4" ? String(line.prefix(4)) : nil
            }
        )
        #expect(units.count > 400)
        let supply = MekongLabourProfile.supply.map(\.code)
        #expect(Set(supply).count == supply.count && (60...150).contains(supply.count))
        #expect(Set(MekongLabourProfile.demand).count == MekongLabourProfile.demand.count)
        for code in supply + MekongLabourProfile.demand + CourseCatalogue.courses.map(\.occupation) {
            #expect(units.contains(code), "\(code)")
        }
        #expect(Set(MekongLabourProfile.demand).isSubset(of: Set(supply)))
    }
}
