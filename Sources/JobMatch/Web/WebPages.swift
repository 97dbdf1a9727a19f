import PostgresNIO

/// Every signed-in page and form of the staff web app, feature by feature (the route tests walk
/// this list: who may open each, and that each form needs its CSRF token).
struct WebPages {
    let client: PostgresClient
    let renderer: WebRenderer
    let config: AppConfig
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

    /// The feature services the pages call (stateless values over the same pool as the API's).
    var workers: WorkerService { WorkerService(client: self.client) }

    var routes: [WebRoute] {
        DashboardPage(progress: self.progress, followUps: FollowUpService(client: self.client), renderer: self.renderer).routes
            + PovertyPage(service: PovertyService(client: self.client), renderer: self.renderer).routes
            + WorkerSearchPages(service: self.workers, renderer: self.renderer).routes
            + WorkerRecordPages(service: self.workers, renderer: self.renderer, homeTerritory: self.config.homeTerritory).routes
            + HouseholdPages(
                service: HouseholdService(client: self.client),
                workers: self.workers,
                renderer: self.renderer,
                homeTerritory: self.config.homeTerritory
            ).routes
            + DuplicatePages(service: DuplicateService(client: self.client), renderer: self.renderer).routes
            + StaffPages(client: self.client, renderer: self.renderer, policy: self.config.webSessions, credentialCache: self.credentialCache).routes
            + VacancyPages(vacancies: self.vacancies, candidates: self.candidates, referrals: self.referrals, renderer: self.renderer).routes
            + self.referralRoutes
            + ProposalPages(batches: self.matchBatches, renderer: self.renderer).routes
            + PlacementPages(placements: self.placements, renderer: self.renderer).routes
            + FollowUpPages(service: FollowUpService(client: self.client), renderer: self.renderer).routes
            + JobFairPages(
                service: JobFairService(client: self.client),
                workers: self.workers,
                renderer: self.renderer,
                homeTerritory: self.config.homeTerritory
            ).routes
            + MessagePages(outbox: MessageOutbox(client: self.client), renderer: self.renderer, gateway: self.config.sms.gateway != nil).routes
            + ImportPages(service: ImportService(client: self.client), renderer: self.renderer).routes
            + ExportPages(exports: self.exports, renderer: self.renderer).routes
            + PrintableReportPage(
                reads: self.exports.reads,
                renderer: self.renderer,
                issuer: self.config.reportIssuer,
                recipient: self.config.reportRecipient
            ).routes
            + TrainingPages(service: TrainingService(client: self.client), renderer: self.renderer).routes
            + EmployerPages(
                service: EmployerService(client: self.client, cache: self.credentialCache),
                workers: self.workers,
                client: self.client,
                renderer: self.renderer,
                homeTerritory: self.config.homeTerritory
            ).routes
            + AbroadPages(service: AbroadService(client: self.client), renderer: self.renderer).routes
    }

    /// A referral's page and forms, and its letter.
    private var referralRoutes: [WebRoute] {
        ReferralPages(referrals: self.referrals, vacancies: self.vacancies, renderer: self.renderer).routes
            + ReferralLetterPage(
                letters: ReferralLetterService(client: self.client),
                renderer: self.renderer,
                issuer: self.config.reportIssuer,
                centrePhone: self.config.centrePhone,
                publicBase: self.config.publicBase,
                publicBaseSet: self.config.publicBaseURL != nil
            ).routes
    }
}
