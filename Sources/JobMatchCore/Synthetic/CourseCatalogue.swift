/// The vocational courses taught in the province's trades (short courses for rural workers under
/// Decision 46/2015, some sơ cấp, a few trung cấp and cao đẳng), for synthetic training records.
public enum CourseCatalogue {
    /// A course as the catalogue lists it: Vietnamese title, trade, level (Law 74/2014) and length.
    public struct Course: Sendable, Equatable {
        public let title: String
        public let occupation: String
        public let level: String
        public let months: Int
    }

    public static let courses: [Course] = [
        .init("May công nghiệp", "8153", "so_cap", 3), .init("Kỹ thuật trồng lúa chất lượng cao", "6111", "under_3_months", 2),
        .init("Trồng cây ăn trái (bưởi, cam, khóm)", "6112", "under_3_months", 2), .init("Nuôi lươn không bùn", "6221", "under_3_months", 2),
        .init("Nuôi cá nước ngọt", "6221", "under_3_months", 2), .init("Chế biến thủy sản", "7511", "under_3_months", 2),
        .init("Chế biến nông sản, thực phẩm", "7514", "under_3_months", 2), .init("Vận hành máy chế biến thực phẩm", "8160", "so_cap", 3),
        .init("Hàn điện", "7212", "so_cap", 3), .init("Điện dân dụng", "7411", "so_cap", 3),
        .init("Điện công nghiệp", "7412", "trung_cap", 24), .init("Sửa chữa xe gắn máy", "7231", "so_cap", 3),
        .init("Sửa chữa máy nông nghiệp", "7233", "so_cap", 3), .init("Lái xe ô tô hạng B", "8322", "under_3_months", 3),
        .init("Lái xe ô tô hạng C", "8332", "so_cap", 4), .init("Kỹ thuật xây dựng (nề, hồ)", "7112", "under_3_months", 2),
        .init("Mộc dân dụng", "7115", "so_cap", 3), .init("Kỹ thuật chế biến món ăn", "5120", "so_cap", 3),
        .init("Nghiệp vụ bán hàng", "5223", "under_3_months", 1), .init("Cắt, uốn tóc", "5141", "so_cap", 3),
        .init("Trang điểm thẩm mỹ", "5142", "under_3_months", 2), .init("Đan lục bình", "7317", "under_3_months", 1),
        .init("Kế toán doanh nghiệp", "3313", "trung_cap", 24), .init("Tin học văn phòng", "4110", "under_3_months", 2),
        .init("Sửa chữa điện lạnh", "7127", "so_cap", 3), .init("Sửa chữa điện thoại, thiết bị điện tử", "7421", "so_cap", 3),
        .init("Nghiệp vụ bảo vệ", "5414", "under_3_months", 1), .init("Chăm sóc người cao tuổi", "5322", "so_cap", 6),
        .init("Vận hành xe nâng", "8344", "under_3_months", 1), .init("Làm bánh", "7512", "under_3_months", 2),
        .init("Chăn nuôi gia cầm", "6122", "under_3_months", 2), .init("Chăn nuôi heo", "6121", "under_3_months", 2),
        .init("Thú y cơ sở", "3240", "so_cap", 3), .init("Điều dưỡng", "3221", "cao_dang", 30),
        .init("Vận hành máy xúc, máy ủi", "8342", "under_3_months", 3), .init("Giày da công nghiệp", "8156", "so_cap", 3),
    ]

    /// The trade whose courses suit an occupation that has none of its own (labourers in a trade).
    static let relatedTrade: [String: String] = [
        "9211": "6111", "9213": "6111", "9214": "6112", "6114": "6111", "6130": "6122", "6113": "6112", "9216": "6221",
        "6222": "6221", "9313": "7112", "9312": "7112", "7114": "7112", "7122": "7112", "7123": "7112", "9329": "8153",
        "9321": "8160", "8183": "8160", "7515": "7514", "9333": "8344", "9412": "5120", "9411": "5120", "5131": "5120",
        "5246": "5120", "5211": "5223", "5230": "5223", "5212": "5120", "9520": "5223", "8321": "7231", "5311": "5322",
        "5321": "5322", "9111": "5322", "4311": "3313", "2411": "3313", "4321": "4110", "4132": "4110", "4222": "4110",
        "4226": "4110", "7533": "8153", "7531": "8153", "7532": "8153", "8219": "7412", "8212": "7412", "8331": "8332",
    ]

    /// Indexes of the courses for `occupation`: the closest by the ISCO hierarchy (same unit,
    /// minor or sub-major group), else its related trade's; empty when none is taught.
    public static func courses(for occupation: String) -> [Int] {
        Self.byOccupation[occupation] ?? []
    }

    private static let byOccupation: [String: [Int]] = {
        var table: [String: [Int]] = [:]
        for item in MekongLabourProfile.supply {
            table[item.code] = Self.closest(to: item.code)
        }
        return table
    }()

    private static func closest(to occupation: String) -> [Int] {
        for depth in [4, 3] {
            let found = Self.courses.indices.filter { Self.courses[$0].occupation.prefix(depth) == occupation.prefix(depth) }
            if !found.isEmpty { return found }
        }
        if let trade = Self.relatedTrade[occupation] {
            return Self.courses.indices.filter { Self.courses[$0].occupation == trade }
        }
        return Self.courses.indices.filter { Self.courses[$0].occupation.prefix(2) == occupation.prefix(2) }
    }

    /// Any course, as popular as its trade among registrants.
    public static let anyCourse: WeightedTable<Int> = {
        let weights = Dictionary(
            uniqueKeysWithValues: MekongLabourProfile.supply.enumerated().map {
                ($0.element.code, MekongLabourProfile.supplyTable.share(at: $0.offset))
            }
        )
        return WeightedTable(Self.courses.indices.map { ($0, weights[Self.courses[$0].occupation] ?? 0.002) })
    }()
}

extension CourseCatalogue.Course {
    init(_ title: String, _ occupation: String, _ level: String, _ months: Int) {
        self.init(title: title, occupation: occupation, level: level, months: months)
    }
}
