/// A worker's highest vocational or professional qualification.
enum Qualification: String, CaseIterable, Sendable {
    case none
    case under3Months = "under_3_months"
    case soCap = "so_cap"
    case trungCap = "trung_cap"
    case caoDang = "cao_dang"
    case daiHoc = "dai_hoc"
    case postGraduate = "post_graduate"
}
