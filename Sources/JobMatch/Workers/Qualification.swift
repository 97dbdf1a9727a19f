/// A worker's highest vocational or professional qualification.
enum Qualification: String, CaseIterable, Sendable {
    case none, under3Months = "under_3_months", soCap = "so_cap", trungCap = "trung_cap", caoDang = "cao_dang", daiHoc = "dai_hoc"
    case postGraduate = "post_graduate"
}
