/// One registrant with the facts matching reads: occupations, commute limit, ethnicity,
/// disability, when they registered, and the courses they completed.
public struct SyntheticWorker: Sendable {
    /// A completed course: which catalogue course, and the class's dates (it ends on completion).
    public struct Training: Sendable, Equatable {
        public let course: Int
        public let startDate: LocalDate
        public let endDate: LocalDate
    }

    public let person: SyntheticPerson
    public let ethnicity: String?
    public let occupations: [String]
    public let maxCommuteKm: Int?
    public let disability: (type: String, severity: String)?
    /// Registration day and second of that day (Vietnam time), office hours.
    public let registeredOn: LocalDate
    public let registeredSecond: Int
    public let trainings: [Training]

    /// The registration as a PostgreSQL timestamptz literal in Vietnam time.
    public var registeredAt: String {
        let (hour, minute, second) = (self.registeredSecond / 3600, self.registeredSecond / 60 % 60, self.registeredSecond % 60)
        return "\(self.registeredOn) \(String(hour).leftPadded(to: 2)):\(String(minute).leftPadded(to: 2)):\(String(second).leftPadded(to: 2))+07"
    }

    /// Person `index`, drawing every fact from `generator` in a fixed order.
    static func make(
        index: Int,
        surname: String?,
        ethnicity: String?,
        using generator: inout SeededGenerator,
        today: LocalDate
    ) -> SyntheticWorker {
        let profile = MekongLabourProfile.self
        let first = profile.supply[profile.supplyTable.pick(using: &generator)]
        var occupations = [first.code]
        if generator.chance(profile.secondOccupationShare) {
            var second = first.code
            while second == first.code { second = profile.supply[profile.supplyTable.pick(using: &generator)].code }
            occupations.append(second)
        }
        let sex: Sex = generator.chance(first.femaleShare) ? .female : .male
        let age = Int.random(in: profile.ageBands.pick(using: &generator), using: &generator)
        let person = SyntheticPerson.make(index: index, sex: sex, age: age, surname: surname, ethnicity: ethnicity, using: &generator, today: today)
        let commute = profile.commutes.pick(using: &generator)
        let disability =
            generator.chance(profile.disabilityShare)
            ? (profile.disabilityTypes.pick(using: &generator), profile.disabilitySeverities.pick(using: &generator)) : nil
        let adult = person.birthDate.subtracting(years: -15)
        let registered = max(Self.registrationDay(using: &generator, today: today), min(adult, today))
        let second = 7 * 3600 + 1800 + Int.random(in: 0..<(9 * 3600), using: &generator)
        var trainings: [Training] = []
        if generator.chance(profile.trainedShare) {
            let count = generator.chance(profile.secondCourseShare) ? 2 : 1
            for _ in 0..<count {
                guard let training = Self.training(for: first.code, registered: registered, adult: adult, using: &generator, today: today),
                    !trainings.contains(where: { $0.course == training.course && $0.endDate == training.endDate })
                else { continue }
                trainings.append(training)
            }
        }
        return SyntheticWorker(
            person: person,
            ethnicity: ethnicity,
            occupations: occupations,
            maxCommuteKm: commute,
            disability: disability,
            registeredOn: registered,
            registeredSecond: second,
            trainings: trainings
        )
    }

    /// A registration day over the last five years, by year and month weights, not after today.
    static func registrationDay(using generator: inout SeededGenerator, today: LocalDate) -> LocalDate {
        let profile = MekongLabourProfile.self
        let year = today.year - profile.registrationYearsAgo.pick(using: &generator)
        for _ in 0..<20 {
            let month = profile.registrationMonths.pick(using: &generator)
            let day = LocalDate(year: year, month: month, day: 1)!.adding(days: Int.random(in: 0..<28, using: &generator))
            if day <= today { return day }
        }
        return today
    }

    /// A course completed from a year before registration to nine months after, in a class that
    /// ends on the 20th of a quarter's last month before today; nil when none fits (too young).
    static func training(
        for occupation: String,
        registered: LocalDate,
        adult: LocalDate,
        using generator: inout SeededGenerator,
        today: LocalDate
    ) -> Training? {
        let own = CourseCatalogue.courses(for: occupation)
        let course =
            !own.isEmpty && generator.chance(MekongLabourProfile.ownTradeCourseShare)
            ? own.randomElement(using: &generator)! : CourseCatalogue.anyCourse.pick(using: &generator)
        let target = registered.adding(days: Int.random(in: -365...270, using: &generator))
        var end = LocalDate(year: target.year, month: (target.month - 1) / 3 * 3 + 3, day: 20)!
        while end >= today { end = end.subtracting(months: 3) }
        guard end >= adult else { return nil }
        let start = end.adding(days: -max(20, CourseCatalogue.courses[course].months * 30))
        return Training(course: course, startDate: start, endDate: end)
    }
}

extension LocalDate {
    /// The same day `months` months earlier (day kept; callers use days that every month has).
    func subtracting(months: Int) -> LocalDate {
        let total = self.year * 12 + (self.month - 1) - months
        return LocalDate(year: total / 12, month: total % 12 + 1, day: self.day)!
    }
}
