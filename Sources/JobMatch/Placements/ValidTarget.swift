import JobMatchCore
import Logging
import PostgresNIO

/// A new target after every rule that needs no database (`checkPlaces` checks its places exist).
struct ValidTarget {
    let key: String?
    let indicator: String
    let start: LocalDate
    let end: LocalDate
    let value: Double
    let basis: CountingBasis?
    let title: String?
    let legacyProvinces: [String]
    let wards: [String]

    static let indicators = ["jobs", "abroad", "trained_rate"]

    init(_ input: TargetInput) throws {
        guard let indicator = input.indicator, Self.indicators.contains(indicator) else {
            throw AppError.invalid(
                field: "indicator",
                "Chỉ tiêu phải là một trong: jobs (tạo việc làm), abroad (đi làm việc ở nước ngoài), trained_rate (tỷ lệ qua đào tạo)."
            )
        }
        self.indicator = indicator
        self.start = try Input.date(input.periodStart ?? "", field: "period_start", label: "Ngày bắt đầu kỳ")
        self.end = try Input.date(input.periodEnd ?? "", field: "period_end", label: "Ngày kết thúc kỳ")
        guard self.end >= self.start else { throw AppError.invalid(field: "period_end", "Ngày kết thúc kỳ không thể trước ngày bắt đầu.") }
        guard self.start.year >= 2000, self.end.year - self.start.year < 10 else {
            throw AppError.invalid(field: "period_end", "Kỳ chỉ tiêu phải từ năm 2000 trở đi và không dài quá 10 năm.")
        }
        guard let value = input.value else { throw AppError.invalid(field: "value", "Thiếu giá trị chỉ tiêu.") }
        try Self.checkValue(value, indicator: indicator)
        self.value = value
        if indicator == "trained_rate" {
            guard input.basis == nil else {
                throw AppError.invalid(field: "basis", "Tỷ lệ qua đào tạo không có cách tính lượt người; bỏ trường basis.")
            }
            self.basis = nil
        } else {
            self.basis = try Input.choice(input.basis ?? CountingBasis.yearly.rawValue, as: CountingBasis.self, field: "basis")
        }
        if let key = input.key {
            guard key.range(of: "^[a-z0-9_]{1,60}$", options: .regularExpression) != nil else {
                throw AppError.invalid(field: "key", "Mã chỉ tiêu chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (tối đa 60 ký tự).")
            }
        }
        self.key = input.key
        self.title = try CleanText.optional(input.title, field: "title", label: "Tên chỉ tiêu", maxLength: 200)
        let provinces = input.territory?.legacyProvinceCodes ?? []
        let wards = input.territory?.wardCodes ?? []
        guard provinces.count + wards.count <= 500 else {
            throw AppError.invalid(field: "territory", "Một chỉ tiêu có tối đa 500 địa bàn.")
        }
        for (index, code) in provinces.enumerated() where code.range(of: "^[0-9]{2}$", options: .regularExpression) == nil {
            throw AppError.invalid(field: "territory.legacy_province_codes[\(index)]", "Mã tỉnh cũ gồm 2 chữ số.")
        }
        self.legacyProvinces = Array(Set(provinces)).sorted()
        self.wards = Array(Set(try wards.enumerated().map { try Input.wardCode($1, field: "territory.ward_codes[\($0)]") })).sorted()
    }

    /// A count is whole people (1 to 10 million); the trained-labour rate a percent above 0, at most 100.
    static func checkValue(_ value: Double, indicator: String) throws {
        let valid = indicator == "trained_rate" ? (value > 0 && value <= 100) : (value >= 1 && value <= 10_000_000 && value.rounded() == value)
        guard valid else {
            throw AppError.invalid(
                field: "value",
                indicator == "trained_rate" ? "Tỷ lệ phải lớn hơn 0 và không quá 100 (%)." : "Chỉ tiêu phải là số người, từ 1 đến 10.000.000."
            )
        }
    }

    /// Each ward must be a 2025 ward and each province a legacy province of the reference data.
    func checkPlaces(on connection: PostgresConnection, logger: Logger) async throws {
        let unknownWards = try await connection.query(
            "SELECT w FROM unnest(\(self.wards)::text[]) w WHERE NOT EXISTS (SELECT 1 FROM wards_2025 WHERE ward_code = w) ORDER BY w",
            logger: logger
        ).decode(String.self).collect()
        if let ward = unknownWards.first {
            throw AppError.invalid(field: "territory.ward_codes", "Không có phường/xã (2025) mã \(ward).")
        }
        let unknownProvinces = try await connection.query(
            "SELECT p FROM unnest(\(self.legacyProvinces)::text[]) p WHERE NOT EXISTS (SELECT 1 FROM legacy_districts WHERE province_code = p) ORDER BY p",
            logger: logger
        ).decode(String.self).collect()
        if let province = unknownProvinces.first {
            throw AppError.invalid(field: "territory.legacy_province_codes", "Không có tỉnh (trước 1/7/2025) mã \(province).")
        }
    }

    /// `jobs_2027`, `jobs_2026_2030`, with the territory's first place when it has one.
    var suggestedKey: String {
        let years = self.start.year == self.end.year ? "\(self.start.year)" : "\(self.start.year)_\(self.end.year)"
        let place = self.wards.first.map { "_w\($0)" } ?? self.legacyProvinces.first.map { "_p\($0)" } ?? ""
        let more = self.wards.count + self.legacyProvinces.count > 1 ? "_\(self.wards.count + self.legacyProvinces.count)" : ""
        return "\(self.indicator)_\(years)\(place)\(more)"
    }

    /// A Vietnamese title: what, which years, where.
    var suggestedTitle: String {
        let years = self.start.year == self.end.year ? "năm \(self.start.year)" : "\(self.start.year)-\(self.end.year)"
        let what =
            switch self.indicator {
            case "jobs": "Lao động được tạo việc làm \(years)"
            case "abroad": "Lao động đi làm việc ở nước ngoài theo hợp đồng \(years)"
            default: "Tỷ lệ lao động qua đào tạo đến \(self.end.year) (%)"
            }
        if !self.wards.isEmpty { return what + " (\(self.wards.count) phường/xã: \(self.wards.prefix(3).joined(separator: ", ")))" }
        if !self.legacyProvinces.isEmpty { return what + " (tỉnh cũ mã \(self.legacyProvinces.joined(separator: ", ")))" }
        return what
    }
}
