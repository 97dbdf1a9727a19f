import Foundation
import JobMatchCore

/// The Vietnamese words for the codes the API speaks, in the order forms offer them.
enum WebLabels {
    static let sex = [("female", "Nữ"), ("male", "Nam")]
    static let disabilityType = [
        ("motor", "Khuyết tật vận động"), ("hearing_speech", "Khuyết tật nghe, nói"), ("visual", "Khuyết tật nhìn"),
        ("neuro_psychiatric", "Khuyết tật thần kinh, tâm thần"), ("intellectual", "Khuyết tật trí tuệ"), ("other", "Khuyết tật khác"),
    ]
    static let disabilitySeverity = [("particularly_severe", "Đặc biệt nặng"), ("severe", "Nặng"), ("mild", "Nhẹ")]
    static let education = [
        ("none", "Chưa đi học"), ("primary", "Tiểu học"), ("lower_secondary", "Trung học cơ sở"),
        ("upper_secondary", "Trung học phổ thông"),
    ]
    static let qualification = [
        ("none", "Chưa qua đào tạo"), ("under_3_months", "Đào tạo dưới 3 tháng"), ("so_cap", "Sơ cấp"), ("trung_cap", "Trung cấp"),
        ("cao_dang", "Cao đẳng"), ("dai_hoc", "Đại học"), ("post_graduate", "Trên đại học"),
    ]
    static let courseLevel = [("under_3_months", "Đào tạo dưới 3 tháng"), ("so_cap", "Sơ cấp"), ("trung_cap", "Trung cấp"), ("cao_dang", "Cao đẳng")]
    static let jobSeeking = [("seeking", "Đang tìm việc"), ("employed", "Đã có việc"), ("not_seeking", "Không tìm việc")]
    static let consentPurpose = [
        ("referral", "Giới thiệu việc làm"), ("share_contact_with_employer", "Cho doanh nghiệp biết số điện thoại"),
        ("data_processing", "Xử lý dữ liệu cá nhân"), ("messages", "Nhận tin nhắn (SMS)"),
    ]
    static let consentMeans = [("paper_form", "Phiếu giấy có chữ ký"), ("in_person", "Trực tiếp tại trung tâm"), ("electronic", "Điện tử")]
    static let householdStatus = HouseholdStatus.allCases.map { ($0.rawValue, $0.vietnamese) }
    static let householdStandard = [
        ("decree_07_2021", "Nghị định 07/2021"), ("decree_351_2025", "Nghị định 351/2025"),
        ("decree_30_2025", "Nghị định 30/2025"),
    ]
    static let enrolmentStatus = [("enrolled", "Đang học"), ("completed", "Đã tốt nghiệp"), ("dropped", "Bỏ học")]
    static let referralStatus = [
        ("proposed", "Đề xuất chờ duyệt"), ("referred", "Đã giới thiệu"), ("interviewed", "Đã phỏng vấn"),
        ("hired", "Đã tuyển"), ("rejected", "Không đạt"), ("withdrawn", "Đã rút"),
    ]
    static let placementChannel = [
        ("vacancy_hire", "Tuyển qua việc làm trống"), ("overseas_departure", "Đi làm việc ở nước ngoài"),
        ("job_fair", "Sàn, phiên giao dịch việc làm"),
        ("job_creation_loan", "Vay vốn tạo việc làm"), ("self_employment", "Tự tạo việc làm"), ("independent", "Tự tìm được việc"),
    ]
    static let vacancyStatus = [("open", "Đang tuyển"), ("closed", "Đã đóng")]

    /// The Vietnamese word for `code` in `list`, or the code itself when it is not there.
    static func word(_ code: String?, in list: [(String, String)]) -> String {
        guard let code else { return "" }
        return list.first { $0.0 == code }?.1 ?? code
    }

    /// An occupation code with its Vietnamese title: `7212 · Thợ hàn và thợ cắt kim loại bằng ngọn lửa`.
    static func occupation(_ code: String) -> String {
        OccupationTitles.title(code).map { "\(code) · \($0)" } ?? "Mã nghề \(code)"
    }

    /// The province's common occupations (ISCO unit groups), which the forms offer first.
    static let commonOccupationCodes = ["6111", "6221", "9211", "9313", "9329", "7212", "7411", "7531", "8153", "8121", "8322", "5120", "5223"]

    /// The common occupations as a form's choices: code and Vietnamese title.
    static var commonOccupations: [(String, String)] {
        self.commonOccupationCodes.map { ($0, OccupationTitles.title($0) ?? "Mã nghề \($0)") }
    }
}
