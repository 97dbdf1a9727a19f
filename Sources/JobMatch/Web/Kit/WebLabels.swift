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

    /// An occupation code with its Vietnamese name when it is a common one: `7212 · Thợ hàn, cắt kim loại`.
    static func occupation(_ code: String) -> String {
        self.commonOccupations.first { $0.0 == code }.map { "\(code) · \($0.1)" } ?? "Mã nghề \(code)"
    }

    /// The province's common occupations (ISCO unit groups), named as clerks say them.
    static let commonOccupations = [
        ("6111", "Trồng cây lương thực, rau màu"), ("6221", "Nuôi trồng thủy sản"), ("9211", "Lao động phổ thông nông nghiệp"),
        ("9313", "Lao động phổ thông xây dựng"), ("9329", "Lao động phổ thông sản xuất"), ("7212", "Thợ hàn, cắt kim loại"),
        ("7411", "Thợ điện công trình"), ("7531", "Thợ may"), ("8153", "Vận hành máy may công nghiệp"), ("8121", "Vận hành máy chế biến kim loại"),
        ("8322", "Lái xe ô tô con, taxi"), ("5120", "Đầu bếp"), ("5223", "Nhân viên bán hàng"),
    ]
}
