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
    /// The exports' share of the pool, shared with the staff API's downloads.
    let exportPermits: ConnectionPermits

    /// The feature services the pages call (stateless values over the same pool as the API's).
    var workers: WorkerService { WorkerService(client: self.client) }

    var routes: [WebRoute] {
        DashboardPage(client: self.client, renderer: self.renderer).routes
            + WorkerSearchPages(service: self.workers, renderer: self.renderer).routes
            + WorkerRecordPages(service: self.workers, renderer: self.renderer, homeProvince: self.config.homeProvince).routes
            + HouseholdPages(service: HouseholdService(client: self.client), workers: self.workers, renderer: self.renderer,
                             homeProvince: self.config.homeProvince).routes
            + DuplicatePages(service: DuplicateService(client: self.client), renderer: self.renderer).routes
            + StaffPages(client: self.client, renderer: self.renderer, policy: self.config.webSessions, credentialCache: self.credentialCache).routes
            + VacancyPages(client: self.client, renderer: self.renderer, candidateIndex: self.candidateIndex).routes
            + ReferralPages(client: self.client, renderer: self.renderer).routes
            + ProposalPages(client: self.client, renderer: self.renderer, logger: self.logger).routes
            + PlacementPages(client: self.client, renderer: self.renderer).routes
            + ImportPages(service: ImportService(client: self.client), renderer: self.renderer).routes
            + ExportPages(client: self.client, renderer: self.renderer,
                          permits: self.exportPermits).routes
            + TrainingPages(service: TrainingService(client: self.client), renderer: self.renderer).routes
            + EmployerPages(service: EmployerService(client: self.client, cache: self.credentialCache), workers: self.workers, client: self.client,
                            renderer: self.renderer, homeProvince: self.config.homeProvince).routes
            + AbroadPages(service: AbroadService(client: self.client), renderer: self.renderer).routes
    }
}
