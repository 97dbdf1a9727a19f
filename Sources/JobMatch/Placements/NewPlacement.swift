/// `POST /placements` body, and the placement page's form: a job found through another channel
/// than a referral or a contract abroad, with its evidence.
struct NewPlacement: Decodable, Sendable {
    let workerId: Int64
    let channel: String
    let startDate: String
    let employerId: Int64?
    let occupationCode: String?
    let wageVnd: Int64?
    let evidence: String
    /// `indefinite`, `fixed_term`, `seasonal` or `self_employment` (`ContractType`); may be left
    /// out for the self-employment channel.
    var contractType: String? = nil
    /// `YYYY-MM-DD`, for a fixed term only.
    var contractEndDate: String? = nil
}

extension NewPlacement {
    /// The form's day is typed as dd/mm/yyyy, numbers with or without thousands separators; an
    /// empty channel or evidence is refused by the service, naming the field.
    init(form: WebForm) throws {
        let start = try WebDates.iso(form.text("start_date"), field: "start_date") ?? ""
        self.init(
            workerId: try form.wholeNumber("worker_id") ?? { throw WebForm.wrongType("worker_id") }(),
            channel: form.text("channel") ?? "",
            startDate: start,
            employerId: try form.wholeNumber("employer_id"),
            occupationCode: form.text("occupation_code"),
            wageVnd: try form.wholeNumber("wage_vnd"),
            evidence: form.text("evidence") ?? "",
            contractType: form.text("contract_type"),
            contractEndDate: try WebDates.iso(form.text("contract_end_date"), field: "contract_end_date")
        )
    }
}
