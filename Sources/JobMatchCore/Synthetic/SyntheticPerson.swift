/// A made-up but realistic member of a household in the Mekong Delta, for seeding and benchmarks.
public struct SyntheticPerson: Sendable {
    public let fullName: String
    public let sex: Sex
    public let birthDate: LocalDate
    public let cccd: String
    public let phone: String

    /// Vietnamese surnames with their approximate shares (per cent x 10), for Kinh households.
    static let surnames = WeightedTable<String>([
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Huỳnh", 50), ("Phan", 45), ("Võ", 39), ("Đặng", 21),
        ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Trương", 8), ("Lâm", 6), ("Châu", 4),
        ("Thái", 3), ("Tô", 3),
    ])
    /// Surnames common among the Khmer of the Mekong Delta.
    static let khmerSurnames = WeightedTable<String>([("Danh", 30), ("Thạch", 25), ("Sơn", 15), ("Kim", 10), ("Lâm", 8), ("Châu", 6), ("Lý", 6)])
    /// Surnames common among the Hoa.
    static let hoaSurnames = WeightedTable<String>([
        ("Lâm", 20), ("Lý", 20), ("Trương", 15), ("Quách", 10), ("Tăng", 10), ("Huỳnh", 10), ("Lưu", 8), ("Mạch", 7),
    ])

    /// The surname table for an ethnicity as recorded.
    public static func surnames(for ethnicity: String?) -> WeightedTable<String> {
        switch ethnicity {
        case "Khơ-me": return Self.khmerSurnames
        case "Hoa": return Self.hoaSurnames
        default: return Self.surnames
        }
    }

    static let maleMiddle = ["Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Công", "Hoàng", "Tấn", "Thành"]
    static let femaleMiddle = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Bích", "Thu", "Hồng", "Diễm", "Phương"]
    static let maleGiven = [
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khang", "Lộc", "Minh", "Nam", "Phúc", "Quang",
        "Sơn", "Tài", "Thắng", "Toàn", "Trí", "Tuấn", "Việt", "Vinh", "Hậu", "Nghĩa", "Phong", "Tâm", "Thiện",
    ]
    static let femaleGiven = [
        "Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "My",
        "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy", "Trang", "Tuyết", "Vy", "Yến", "Nhi", "Trinh",
    ]

    /// Provinces of birth registration for successive blocks of a million synthetic people
    /// (Hậu Giang first, then its neighbours): with the block in the first three digits and the
    /// index within the block in the last six, CCCDs stay unique up to `maximumIndex`.
    static let birthProvinces = ["093", "092", "094", "091", "089", "086", "095", "096", "087", "084", "083", "082"]
    /// The number of people that get distinct CCCDs and phone numbers.
    public static let maximumIndex = 12_000_000

    /// The `index`-th person of a population: `sex`, an age of `age` whole years `today`, a
    /// surname from `surnames` (or the given one); `index` keeps CCCD and phone unique.
    public static func make(
        index: Int,
        sex: Sex,
        age: Int,
        surname: String?,
        ethnicity: String?,
        using generator: inout SeededGenerator,
        today: LocalDate
    ) -> SyntheticPerson {
        precondition((0..<maximumIndex).contains(index))
        let surname = surname ?? Self.surnames(for: ethnicity).pick(using: &generator)
        let middle = (sex == .male ? maleMiddle : femaleMiddle).randomElement(using: &generator)!
        let given = (sex == .male ? maleGiven : femaleGiven).randomElement(using: &generator)!
        // A birthday in the year before today's `age`-th anniversary, so the age today is `age`.
        let birth = today.subtracting(years: age).adding(days: -Int.random(in: 0...364, using: &generator))
        let century = (birth.year / 100 - 19) * 2 + (sex == .female ? 1 : 0)
        // Multiplying by a number prime to 10 permutes the block's serials: they look random, stay unique.
        let serial = String((index % 1_000_000) * 738_119 % 1_000_000).leftPadded(to: 6)
        let cccd = Self.birthProvinces[index / 1_000_000] + String(century) + String(birth.year % 100).leftPadded(to: 2) + serial
        let prefix = ["091", "094", "088", "096", "097", "098", "086", "032", "033", "070", "079", "077"][index / 1_000_000 % 12]
        let phone = prefix + String((index % 10_000_000) * 7_654_321 % 10_000_000).leftPadded(to: 7)
        return SyntheticPerson(fullName: "\(surname) \(middle) \(given)", sex: sex, birthDate: birth, cccd: cccd, phone: phone)
    }
}

extension String {
    /// Zero-padded on the left to `width`.
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
