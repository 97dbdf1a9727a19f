/// `POST /referrals` body, and the candidates page's "refer" form; `status` is `referred`
/// (default) or `proposed`.
struct NewReferral: Decodable, Sendable {
    let vacancyId: Int64
    let workerId: Int64
    let status: String?
}

extension NewReferral {
    /// The candidates page's form: the worker picked for the vacancy on the page, referred at once.
    init(form: WebForm, vacancyID: Int64) throws {
        self.init(
            vacancyId: vacancyID,
            workerId: try form.wholeNumber("worker_id") ?? { throw WebForm.wrongType("worker_id") }(),
            status: "referred"
        )
    }
}
