/// What the province's employers post (reasoning in `docs/seed.md`).
public enum VacancyProfile {
    /// Slots per vacancy, 1 to 10, skewed to small numbers (mean 3.22).
    public static let slots = WeightedTable<Int>([(1, 30), (2, 22), (3, 15), (4, 9), (5, 8), (6, 4), (7, 3), (8, 3), (9, 2), (10, 4)])

    /// Age ranges asked for (nil: none); 55% of vacancies give one.
    public static let ageRanges = WeightedTable<AgeRange>([
        (AgeRange(min: nil, max: nil), 45), (AgeRange(min: 18, max: 35), 20), (AgeRange(min: 18, max: 45), 15),
        (AgeRange(min: 18, max: 40), 8), (AgeRange(min: 20, max: 50), 5), (AgeRange(min: 18, max: nil), 7),
    ])

    /// An age range of a vacancy (either end may be open).
    public struct AgeRange: Sendable, Equatable {
        public let min: Int?
        public let max: Int?
    }

    /// Days from today to the closing date.
    public static let closingInDays = 14...120

    /// The share of an employer's vacancies in its main trade (the rest follow the province's demand).
    public static let mainOccupationShare = 0.6
    /// Zipf exponent of employer size: the largest factories post most of the vacancies.
    public static let employerExponent = 0.8
    /// How many of the largest employers are factories of the most demanded trades, in order
    /// (garments, manufacturing, food, seafood, footwear ...).
    public static let factoryEmployers = 10
    /// Vacancies per employer on average.
    public static let vacanciesPerEmployer = 50

    /// Relative chance that an employer is in a ward: the industrial parks' communes (Tân Phú
    /// Thạnh; Đông Phú and Phú Hữu by Sông Hậu) 12, towns 3, rural communes 1.
    public static func employerWeight(_ ward: SeedWard) -> Double {
        ["31363", "31375", "31378"].contains(ward.legacy) ? 12 : ward.urban ? 3 : 1
    }

    /// How an employer in the trade of `occupation` is named, and its sector.
    static func employerKind(for occupation: String) -> (String, String) {
        switch occupation {
        case "8153", "7533", "7532", "7531": ("Công ty TNHH May", "May mặc")
        case "8156", "7536": ("Công ty TNHH Giày da", "Da giày")
        case "8160", "7514", "7511", "9321", "8183", "7512", "7543": ("Công ty CP Chế biến thực phẩm", "Chế biến nông sản, thủy sản")
        case "8143", "8142", "9329", "8219", "8212", "7223", "8122", "3122": ("Công ty TNHH Sản xuất", "Công nghiệp chế biến, chế tạo")
        case "9313", "7112", "7411", "7412", "7115", "7522", "8342", "7126", "7131", "7212", "7127": ("Công ty TNHH Xây dựng", "Xây dựng")
        case "8322", "8332", "9333", "8344", "9621", "8331", "7231", "7233": ("Công ty TNHH Vận tải", "Vận tải, kho bãi")
        case "6221", "9216", "9211", "6112", "6122", "3142": ("Hợp tác xã Nông nghiệp", "Nông nghiệp, thủy sản")
        case "5223", "5230", "3322", "5244", "4321": ("Công ty TNHH Thương mại", "Bán buôn, bán lẻ")
        default: ("Công ty TNHH Dịch vụ", "Dịch vụ")
        }
    }

    /// A typical monthly wage (million VND) for the trade, by ISCO major group.
    static func monthlyWageMillions(for occupation: String) -> Double {
        switch occupation.first {
        case "2": 10
        case "3": 8.5
        case "4": 7
        case "5": 6.5
        case "6": 6
        case "7": 8
        case "8": 7.5
        default: 6
        }
    }

    /// Vietnamese job titles for the trades employers post.
    static let titles: [String: String] = [
        "8153": "Công nhân may công nghiệp", "9329": "Lao động phổ thông nhà máy", "8160": "Công nhân vận hành máy chế biến thực phẩm",
        "7511": "Công nhân chế biến thủy sản", "8156": "Công nhân may giày", "9321": "Công nhân đóng gói", "9333": "Công nhân bốc xếp",
        "5223": "Nhân viên bán hàng", "9313": "Phụ hồ", "8183": "Công nhân vận hành máy đóng gói", "8322": "Tài xế xe tải nhẹ, xe con",
        "8332": "Tài xế xe tải hạng C", "7212": "Thợ hàn", "5414": "Nhân viên bảo vệ", "5120": "Đầu bếp", "5131": "Nhân viên phục vụ",
        "9112": "Nhân viên tạp vụ", "7411": "Thợ điện công trình", "8212": "Công nhân lắp ráp điện tử", "8143": "Công nhân sản xuất giấy",
        "8142": "Công nhân sản xuất nhựa", "7514": "Công nhân chế biến nông sản", "6221": "Công nhân nuôi trồng thủy sản",
        "9216": "Lao động trại nuôi thủy sản", "7112": "Thợ hồ", "4110": "Nhân viên văn phòng", "4311": "Nhân viên kế toán",
        "5230": "Thu ngân", "8344": "Lái xe nâng", "7231": "Thợ sửa chữa ô tô, xe máy", "7233": "Thợ sửa chữa máy nông nghiệp",
        "9211": "Lao động thời vụ trồng trọt", "9412": "Phụ bếp", "3322": "Nhân viên kinh doanh", "5244": "Nhân viên bán hàng qua điện thoại",
        "7543": "Nhân viên kiểm hàng (QC)", "3122": "Tổ trưởng sản xuất", "3313": "Kế toán viên", "4321": "Thủ kho",
        "7127": "Thợ điện lạnh", "7412": "Thợ điện công nghiệp", "7533": "Thợ thêu, may tay", "7532": "Thợ cắt may",
        "8219": "Công nhân lắp ráp", "7223": "Thợ vận hành máy công cụ", "8122": "Công nhân xi mạ, sơn tĩnh điện", "7115": "Thợ mộc",
        "7522": "Thợ mộc nội thất", "9621": "Nhân viên giao hàng", "5311": "Cô nuôi dạy trẻ", "5322": "Nhân viên chăm sóc người cao tuổi",
        "3221": "Điều dưỡng viên", "7512": "Thợ làm bánh", "4222": "Nhân viên chăm sóc khách hàng", "4226": "Lễ tân",
        "8342": "Thợ vận hành máy xúc", "7126": "Thợ sửa ống nước", "7131": "Thợ sơn", "3142": "Kỹ thuật viên nông nghiệp",
        "6112": "Công nhân trồng cây ăn trái", "6122": "Công nhân trại gà", "8157": "Công nhân giặt là công nghiệp",
        "9611": "Công nhân thu gom rác", "8331": "Tài xế xe buýt", "2512": "Lập trình viên", "3512": "Kỹ thuật viên hỗ trợ máy tính",
    ]
}
