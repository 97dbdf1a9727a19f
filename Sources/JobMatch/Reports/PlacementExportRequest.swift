import JobMatchCore

/// What a placement export asks for (`GET /exports/placements?month=|period=&format=&as_of=&cccd=`,
/// and the exports page's download form): the range, the format, the day and whether CCCDs are whole.
struct PlacementExportRequest: Sendable {
    let spec: PlacementExportSpec
    let format: TableFormat

    /// Checks the query's values; a viewer may not ask for whole CCCDs (403 naming `cccd`).
    init(month: String?, period: String?, format: String?, asOf: String?, cccd: String?, role: StaffRole) throws {
        let range: PlacementExportSpec.Range
        switch (month, period) {
        case (let month?, nil):
            guard let parsed = Month(month) else { throw AppError.invalid(field: "month", "Tháng phải có dạng YYYY-MM (ví dụ 2026-01).") }
            range = .month(parsed)
        case (nil, let period?):
            guard let parsed = PlacementExportSpec.years(period)
            else { throw AppError.invalid(field: "period", "Giai đoạn phải có dạng YYYY-YYYY (ví dụ 2021-2025).") }
            range = parsed
        case (nil, nil):
            throw AppError.invalid(field: "month", "Cần chọn tháng (month=YYYY-MM) hoặc giai đoạn (period=YYYY-YYYY).")
        case (_?, _?):
            throw AppError.invalid(field: "period", "Chỉ chọn một trong hai: tháng hoặc giai đoạn.")
        }
        self.format = try Self.format(format)
        let asOf = try Self.asOf(asOf)
        let fullCCCD = cccd == "full"
        if let cccd, cccd != "full" && cccd != "masked" {
            throw AppError.invalid(field: "cccd", "Giá trị cccd chỉ là full hoặc masked.")
        }
        if fullCCCD && role == .viewer {
            throw AppError(
                .forbidden,
                kind: "forbidden",
                title: "Không có quyền",
                detail: "Vai trò chỉ xem không được xuất số CCCD đầy đủ.",
                field: "cccd"
            )
        }
        self.spec = PlacementExportSpec(range: range, asOf: asOf, fullCCCD: fullCCCD)
    }

    /// The end of which day the figures stand at: `as_of` (not in the future), or today.
    static func asOf(_ text: String?) throws -> LocalDate {
        let today = LocalDate.today()
        guard let text else { return today }
        let day = try Input.date(text, field: "as_of", label: "Ngày tính số liệu")
        guard day <= today else { throw AppError.invalid(field: "as_of", "Không thể xuất số liệu của một ngày chưa đến.") }
        return day
    }

    /// `csv` (the default) or `xlsx`.
    static func format(_ text: String?) throws -> TableFormat {
        guard let text else { return .csv }
        guard let format = TableFormat(rawValue: text) else { throw AppError.invalid(field: "format", "Định dạng chỉ là csv hoặc xlsx.") }
        return format
    }
}
