import Logging
import PostgresNIO

/// Every signed-in page and form of the staff web app, feature by feature (the route tests walk
/// this list: who may open each, and that each form needs its CSRF token).
struct WebPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let config: AppConfig
    let candidateIndex: CandidateIndex?
    let logger: Logger
    /// The API's cache of valid callers: revoking a key from a page forgets it at once.
    var credentialCache: CredentialCache? = nil
    /// The downloads, sharing the exports' share of the pool with the staff API's.
    let exports: ExportService
    let vacancies: VacancyRepository
    let referrals: ReferralService
    let candidates: CandidateService
    let matchBatches: MatchBatchService
    let placements: PlacementService
    let progress: ProgressService

    var routes: [WebRoute] {
        DashboardPage(progress: self.progress, renderer: self.renderer).routes
            + WorkerSearchPages(client: self.client, renderer: self.renderer).routes
            + WorkerRecordPages(client: self.client, renderer: self.renderer, homeProvince: self.config.homeProvince).routes
            + HouseholdPages(client: self.client, renderer: self.renderer, homeProvince: self.config.homeProvince).routes
            + DuplicatePages(client: self.client, renderer: self.renderer).routes
            + StaffPages(client: self.client, renderer: self.renderer, policy: self.config.webSessions, credentialCache: self.credentialCache).routes
            + VacancyPages(vacancies: self.vacancies, candidates: self.candidates, referrals: self.referrals, renderer: self.renderer).routes
            + ReferralPages(referrals: self.referrals, vacancies: self.vacancies, renderer: self.renderer).routes
            + ProposalPages(batches: self.matchBatches, renderer: self.renderer).routes
            + PlacementPages(placements: self.placements, renderer: self.renderer).routes
            + ImportPages(client: self.client, renderer: self.renderer).routes
            + ExportPages(exports: self.exports, renderer: self.renderer).routes
            + TrainingPages(client: self.client, renderer: self.renderer).routes
            + EmployerPages(client: self.client, renderer: self.renderer, homeProvince: self.config.homeProvince, credentialCache: self.credentialCache).routes
            + AbroadPages(client: self.client, renderer: self.renderer).routes
    }
}
