/// The proportions a provincial job centre in the Mekong Delta (Hậu Giang, now part of Cần Thơ)
/// sees, for synthetic populations. Every figure here is documented, with its reasoning, in
/// `docs/seed.md`; change one there too.
public enum MekongLabourProfile {
    /// An ISCO-08 unit group with the share of women among the people in it (0...1).
    public struct Occupation: Sendable {
        public let code: String
        public let femaleShare: Double
    }

    /// What registrants did or want to do (supply), most common first: rice and fruit farming,
    /// aquaculture, garments and footwear, food and seafood processing, construction, driving,
    /// sales and services, then the long tail. Drawn with Zipf weights (`supplyExponent`).
    public static let supply: [Occupation] = [
        .init("9211", 0.45), .init("6111", 0.35), .init("8153", 0.85), .init("9329", 0.45), .init("9313", 0.10),
        .init("5223", 0.65), .init("6221", 0.30), .init("8160", 0.55), .init("9216", 0.35), .init("7511", 0.65),
        .init("8322", 0.03), .init("6112", 0.35), .init("9333", 0.05), .init("7112", 0.03), .init("5120", 0.60),
        .init("9112", 0.80), .init("8156", 0.75), .init("9321", 0.70), .init("7212", 0.03), .init("7411", 0.03),
        .init("8332", 0.02), .init("5131", 0.60), .init("7231", 0.03), .init("9111", 0.90), .init("6122", 0.40),
        .init("6121", 0.40), .init("7531", 0.75), .init("7533", 0.85), .init("5211", 0.70), .init("9412", 0.70),
        .init("8321", 0.05), .init("5414", 0.05), .init("4110", 0.60), .init("6114", 0.35), .init("7115", 0.03),
        .init("7514", 0.65), .init("8183", 0.55), .init("5141", 0.60), .init("5142", 0.90), .init("9213", 0.40),
        .init("6130", 0.35), .init("7233", 0.03), .init("8342", 0.02), .init("5230", 0.75), .init("4311", 0.75),
        .init("7126", 0.03), .init("7131", 0.05), .init("8212", 0.60), .init("8142", 0.40), .init("8143", 0.30),
        .init("7512", 0.60), .init("5311", 0.95), .init("5322", 0.85), .init("9622", 0.15), .init("6222", 0.15),
        .init("7127", 0.03), .init("7421", 0.10), .init("8344", 0.05), .init("7522", 0.05), .init("7114", 0.05),
        .init("9312", 0.10), .init("7122", 0.03), .init("8341", 0.03), .init("7412", 0.05), .init("3313", 0.70),
        .init("4321", 0.40), .init("5212", 0.80), .init("9520", 0.60), .init("9621", 0.20), .init("7317", 0.80),
        .init("8219", 0.50), .init("7532", 0.60), .init("7223", 0.05), .init("8122", 0.10), .init("9214", 0.40),
        .init("6113", 0.40), .init("3142", 0.30), .init("3221", 0.85), .init("5321", 0.85), .init("4222", 0.70),
        .init("4226", 0.80), .init("3122", 0.30), .init("7543", 0.60), .init("7515", 0.50), .init("8157", 0.70),
        .init("9611", 0.30), .init("9613", 0.60), .init("5112", 0.30), .init("8350", 0.05), .init("8331", 0.02),
        .init("2411", 0.70), .init("2512", 0.20), .init("3512", 0.20), .init("7422", 0.05), .init("5244", 0.65),
        .init("3322", 0.45), .init("4132", 0.70), .init("7123", 0.05), .init("7213", 0.03), .init("9122", 0.20),
        .init("7544", 0.10), .init("3240", 0.30), .init("8114", 0.15), .init("7132", 0.05), .init("2221", 0.85),
        .init("2341", 0.75), .init("5246", 0.70), .init("9411", 0.60), .init("8172", 0.15), .init("7536", 0.40),
    ]

    /// What employers ask for (demand), most common first: garment and footwear factories,
    /// food, seafood and paper processing, logistics, retail and services, construction.
    public static let demand: [String] = [
        "8153", "9329", "8160", "7511", "8156", "9321", "9333", "5223", "9313", "8183",
        "8322", "8332", "7212", "5414", "5120", "5131", "9112", "7411", "8212", "8143",
        "8142", "7514", "6221", "9216", "7112", "4110", "4311", "5230", "8344", "7231",
        "7233", "9211", "9412", "3322", "5244", "7543", "3122", "3313", "4321", "7127",
        "7412", "7533", "7532", "8219", "7223", "8122", "7115", "7522", "9621", "5311",
        "5322", "3221", "7512", "4222", "4226", "8342", "7126", "7131", "3142", "6112",
        "6122", "8157", "9611", "8331", "2512", "3512",
    ]

    /// Zipf exponents: the most common occupation is about 1 / H(n) of all (about 19% of workers
    /// over 110 codes, 21% of vacancies over 66).
    public static let supplyExponent = 1.0
    public static let demandExponent = 1.0

    /// Registrants' occupations as a table to draw from.
    public static let supplyTable = WeightedTable.zipf(Array(supply.indices), exponent: supplyExponent)
    /// Vacancies' occupations as a table to draw from.
    public static let demandTable = WeightedTable.zipf(demand, exponent: demandExponent)

    /// The share of registrants who give a second occupation (drawn independently, never the first).
    public static let secondOccupationShare = 0.15
}

extension MekongLabourProfile.Occupation {
    init(_ code: String, _ femaleShare: Double) {
        self.init(code: code, femaleShare: femaleShare)
    }
}
