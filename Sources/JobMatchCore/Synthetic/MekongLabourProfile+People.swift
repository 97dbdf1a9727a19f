/// Who registers at the centre: households, ethnicity, disability, age, commute and when they
/// registered (reasoning and sources in `docs/seed.md`).
extension MekongLabourProfile {
    /// Household status of registrants' households (today's recognised status).
    public static let statuses = WeightedTable<HouseholdStatus>([
        (.poor, 8), (.nearPoor, 10), (.recentlyEscapedPoverty, 4), (.recentlyEscapedNearPoverty, 3), (.lowIncome, 10), (.none, 65),
    ])

    /// Registered members per household (people of working age who came to the centre).
    public static let householdSizes = WeightedTable<Int>([(1, 55), (2, 30), (3, 12), (4, 3)])

    /// Ethnicity as the registry stores it (free text, as clerks write it); nil when not recorded.
    public static let ethnicities = WeightedTable<String?>([("Kinh", 945), ("Khơ-me", 28), ("Hoa", 7), (nil, 20)])

    /// The share of registrants with a disability, its types and severities (Law 51/2010).
    public static let disabilityShare = 0.03
    public static let disabilityTypes = WeightedTable<String>([
        ("motor", 40), ("visual", 15), ("hearing_speech", 15), ("neuro_psychiatric", 8), ("intellectual", 7), ("other", 15),
    ])
    public static let disabilitySeverities = WeightedTable<String>([("mild", 70), ("severe", 25), ("particularly_severe", 5)])

    /// Maximum commute in km (nil: none given).
    public static let commutes = WeightedTable<Int?>([(5, 15), (10, 25), (15, 15), (20, 15), (30, 10), (50, 5), (nil, 15)])

    /// Age bands (inclusive) at seeding, uniform within a band: 15-62, mostly young adults.
    public static let ageBands = WeightedTable<ClosedRange<Int>>([
        (15...17, 2), (18...24, 25), (25...34, 30), (35...44, 22), (45...54, 15), (55...62, 6),
    ])

    /// Registration year, counted back from this year (0 = this year, up to today), over five years.
    public static let registrationYearsAgo = WeightedTable<Int>([(0, 26), (1, 23), (2, 20), (3, 17), (4, 14)])
    /// Registration month (after Tết and after the harvests are the busy months).
    public static let registrationMonths = WeightedTable<Int>([
        (1, 7), (2, 11), (3, 12), (4, 9), (5, 8), (6, 8), (7, 8), (8, 8), (9, 8), (10, 7), (11, 7), (12, 7),
    ])

    /// The share of registrants with a completed course (with a certificate) in the registry, and
    /// of those the share with a second one.
    public static let trainedShare = 0.25
    public static let secondCourseShare = 0.10
    /// Of a trained registrant's courses, the share in their own trade (or the nearest one taught);
    /// the rest are any course, as popular as its trade.
    public static let ownTradeCourseShare = 0.75
}
