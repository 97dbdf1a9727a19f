/// A made-up but realistic member of a household in the Mekong Delta, for seeding and benchmarks.
public struct SyntheticPerson: Sendable {
    public let fullName: String
    public let sex: Sex
    public let birthDate: LocalDate
    public let cccd: String
    public let phone: String

    /// Vietnamese surnames with their approximate shares (per cent x 10).
    static let surnames: [(String, Int)] = [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Huỳnh", 50), ("Phan", 45), ("Võ", 39), ("Đặng", 21),
        ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Trương", 8), ("Lâm", 6), ("Châu", 4),
        ("Thái", 3), ("Tô", 3), ("Danh", 4), ("Thạch", 4),
    ]
    static let maleMiddle = ["Văn", "Văn", "Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Công", "Hoàng", "Tấn", "Thành"]
    static let femaleMiddle = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Bích", "Thu", "Hồng", "Diễm", "Phương"]
    static let maleGiven = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khang", "Lộc", "Minh", "Nam", "Phúc", "Quang",
                            "Sơn", "Tài", "Thắng", "Toàn", "Trí", "Tuấn", "Việt", "Vinh", "Hậu", "Nghĩa", "Phong", "Tâm", "Thiện"]
    static let femaleGiven = ["Anh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "My",
                              "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo", "Thủy", "Trang", "Tuyết", "Vy", "Yến", "Nhi", "Trinh"]

    /// The `index`-th person of the population drawn from `generator`; `index` keeps CCCD and phone unique.
    public static func make(index: Int, using generator: inout SeededGenerator, today: LocalDate) -> SyntheticPerson {
        let sex: Sex = Bool.random(using: &generator) ? .male : .female
        let surname = generator.weighted(surnames)
        let middle = (sex == .male ? maleMiddle : femaleMiddle).randomElement(using: &generator)!
        let given = (sex == .male ? maleGiven : femaleGiven).randomElement(using: &generator)!
        let age = Int.random(in: 16...62, using: &generator)
        let birth = LocalDate(year: today.year - age, month: Int.random(in: 1...12, using: &generator), day: Int.random(in: 1...28, using: &generator))!
        let century = (birth.year / 100 - 19) * 2 + (sex == .female ? 1 : 0)
        let serial = String(index % 1_000_000).leftPadded(to: 6)
        let cccd = "093" + String(century) + String(birth.year % 100).leftPadded(to: 2) + serial
        let prefix = ["091", "094", "088", "096", "097", "098", "086", "032", "033", "070", "079", "077"][index / 1_000_000 % 12]
        let phone = prefix + String(index % 10_000_000).leftPadded(to: 7)
        return SyntheticPerson(fullName: "\(surname) \(middle) \(given)", sex: sex, birthDate: birth, cccd: cccd, phone: phone)
    }
}

extension String {
    /// Zero-padded on the left to `width`.
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
