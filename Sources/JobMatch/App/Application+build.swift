import Crypto
import EmployerAPI
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import PostgresNIO

/// The composition root: opens the database (embedded or `DATABASE_URL`), wires every feature's
/// routes, and migrates and loads reference data (as the schema's owner) before the server accepts
/// requests, which it answers as the service's own role.
/// `main` and every test call this same function.
public func buildApplication(_ config: AppConfig, logger: Logger) async throws -> some ApplicationProtocol {
    let webhookKeys = try WebhookSecretKeyring.load(config, logger: logger)
    let database = try await Database.open(config, logger: logger, adoptRunning: true, sessionTimeouts: config.sessionTimeouts)
    let migrator = Migrator(directory: config.sqlDirectory, logger: logger)
    let catalogue = ReferenceCatalogue()
    let credentialCache = CredentialCache()
    let candidateIndex = config.candidateIndex ? CandidateIndex() : nil
    let renderer = try await WebRenderer.load(directory: config.webDirectory, strict: config.strictTemplates)
    var gateLogger = logger
    gateLogger[metadataKey: "component"] = "database-gate"
    let gate = DatabaseGate(client: database.probeClient, threshold: config.databaseGate, logger: gateLogger)
    let board = PublicBoard()
    let router = try buildRouter(
        client: database.client,
        reads: database.reads,
        migrator: migrator,
        catalogue: catalogue,
        credentialCache: credentialCache,
        candidateIndex: candidateIndex,
        renderer: renderer,
        config: config,
        logger: logger,
        gate: gate,
        webhookKeys: webhookKeys,
        board: board
    )
    let listener = CredentialChangeListener(client: database.client, cache: credentialCache, logger: logger)
    let deliverer = WebhookDeliverer(
        client: database.client,
        logger: logger,
        policy: config.webhookPolicy,
        keyring: webhookKeys,
        interval: config.webhookPollInterval,
        retryBaseSeconds: config.webhookRetryBaseSeconds
    )
    let exports = ExportScheduler(reads: database.reads, logger: logger, config: config.exportSchedule)
    let retention = RetentionService(client: database.client, logger: logger, config: config.retention)
    let messages = MessageDeliverer(client: database.client, logger: logger, config: config.sms)
    var app = Application(
        responder: DatabaseDeadlineResponder(routes: router.buildResponder(), gate: gate),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
        services: database.services + [gate, deliverer, exports, retention, messages]
            + [PublicBoardRefresher(client: database.client, board: board, logger: logger, interval: config.publicBoardRefresh)]
            + (config.credentialCache ? [listener] : [])
            + (candidateIndex.map { [CandidateIndexRefresher(client: database.client, index: $0, logger: logger, reads: database.reads)] } ?? []),
        logger: logger
    )
    let client = database.client
    let references = ReferenceDataLoader(sqlDirectory: config.sqlDirectory, logger: logger)
    app.beforeServerStarts {
        // Schema and reference data as their owner; everything after as the service's role.
        try await database.withOwnerClient(logger: logger) { owner in
            try await migrator.migrate(owner)
            try await references.load(owner)
        }
        try await WebhookSecretStore(client: client, keyring: webhookKeys, logger: logger).sealPlain()
        try await catalogue.load(client, logger: logger)
    }
    return app
}

/// Every route of the service, with its middleware. `reads`: where full reads go (the replica
/// while caught up); nil: `client`.
func buildRouter(
    client: PostgresClient,
    reads: ReadRouter? = nil,
    migrator: Migrator,
    catalogue: ReferenceCatalogue,
    credentialCache: CredentialCache,
    candidateIndex: CandidateIndex?,
    renderer: WebRenderer,
    config: AppConfig,
    logger: Logger,
    gate: DatabaseGate? = nil,
    webhookKeys: WebhookSecretKeyring = WebhookSecretKeyring(current: SymmetricKey(size: .bits256)),
    board: PublicBoard = PublicBoard()
) throws -> Router<AppRequestContext> {
    // Metrics first, so every middleware and route below records into the registry `/metrics` shows.
    let metrics = ProcessMetrics.bootstrap()
    let router = Router(context: AppRequestContext.self)
    addOuterMiddleware(to: router)
    // The public board reads its copy in memory: ahead of the database gate and the pool's permits.
    PublicBoardPage(board: board, renderer: renderer, centrePhone: config.centrePhone).register(on: router)
    if let gate { router.add(middleware: DatabaseGateMiddleware(gate: gate)) }
    router.add(middleware: ConnectionPermitMiddleware(permits: ConnectionPermits(limit: config.requestLimit), deadline: config.connectionWait))

    let operations = OperationsRoutes(client: client, migrator: migrator, expected: (try? migrator.migrations()) ?? [], registry: metrics)
    operations.registerPublic(on: router)
    try APIDocsRoutes(renderer: renderer).register(on: router)
    // Anyone holding a referral letter checks it here, without signing in (one indexed read, limited per address).
    let letters = ReferralLetterService(client: client)
    LetterCheckPage(letters: letters, renderer: renderer, limiter: RateLimiter(perMinute: LetterCheckPage.perMinute), trustProxy: config.trustProxy)
        .register(on: router)

    // The jobs side's services, built once and handed to their routes and pages.
    let reads = reads ?? .primaryOnly(client)
    let vacancies = VacancyRepository(client: client, catalogue: catalogue)
    let referrals = ReferralService(client: client)
    let candidates = CandidateService(client: client, index: candidateIndex)
    let matchBatches = MatchBatchService(client: client, reads: reads)
    let placements = PlacementService(client: client)
    let progress = ProgressService(client: client, reads: reads)
    let exports = ExportService(client: client, permits: ConnectionPermits(limit: config.exportLimit), reads: reads)
    let webhooks = WebhookRepository(client: client, policy: config.webhookPolicy, keyring: webhookKeys)

    let credentials = CredentialStore(client: client, logger: logger, cache: credentialCache)
    let authenticated = router.group().add(middleware: BearerAuthMiddleware(credentials: credentials))
    operations.registerMetrics(on: authenticated)

    let staff = authenticated.group("api/staff").add(middleware: StaffOnlyMiddleware())
    HouseholdRoutes(service: HouseholdService(client: client)).register(on: staff)
    let duplicates = DuplicateService(client: client)
    DuplicateRoutes(service: duplicates).register(on: staff)
    WorkerMergeRoutes(service: duplicates).register(on: staff)
    let workers = WorkerService(client: client)
    WorkerRoutes(service: workers).register(on: staff)
    WorkerDetailRoutes(service: workers).register(on: staff)
    WorkerEditRoutes(service: workers).register(on: staff)
    SkillRoutes(catalogue: SkillCatalogue(client: client)).register(on: staff)
    RegistrySummaryRoutes(service: RegistrySummaryService(client: client)).register(on: staff)
    PersonalDataRoutes(service: PersonalDataService(client: client)).register(on: staff)
    ImportRoutes(client: client).register(on: staff)
    let training = TrainingService(client: client)
    TrainingRoutes(service: training).register(on: staff)
    TrainingSupportRoutes(service: training).register(on: staff)
    EmployerRoutes(service: EmployerService(client: client, cache: credentialCache)).register(on: staff)
    let abroad = AbroadService(client: client)
    OverseasEnterpriseRoutes(service: abroad).register(on: staff)
    OverseasContractRoutes(service: abroad).register(on: staff)
    CandidateRoutes(candidates: candidates).register(on: staff)
    MatchWeightsRoutes(weights: MatchWeightsRepository(client: client)).register(on: staff)
    MatchBatchRoutes(batches: matchBatches).register(on: staff)
    ReferralRoutes(referrals: referrals).register(on: staff)
    ReferralLetterRoutes(letters: letters, publicBase: config.publicBase).register(on: staff)
    ProgressRoutes(progress: progress).register(on: staff)
    PovertyRoutes(service: PovertyService(client: client)).register(on: staff)
    PlacementRoutes(placements: placements).register(on: staff)
    FollowUpRoutes(service: FollowUpService(client: client)).register(on: staff)
    JobFairRoutes(service: JobFairService(client: client)).register(on: staff)
    ExportRoutes(exports: exports).register(on: staff)
    AuditRoutes(trail: AuditTrail(client: client)).register(on: staff)
    WebhookRoutes(outbox: WebhookOutbox(client: client)).register(on: staff)
    MessageRoutes(outbox: MessageOutbox(client: client)).register(on: staff)

    // The staff web app: pages behind a session cookie, errors as pages, its own static files.
    router.add(
        middleware: FileMiddleware(
            config.webDirectory + "/static",
            urlBasePath: "/static",
            cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])]),
            logger: logger
        )
    )
    let webPublic = router.group().add(middleware: WebLanguageMiddleware()).add(middleware: WebErrorMiddleware(renderer: renderer))
    WebLanguageRoute().register(on: webPublic)
    let sessions = WebSessionStore(client: client, logger: logger, policy: config.webSessions)
    let web = webPublic.group().add(middleware: WebAuthMiddleware(sessions: sessions))
    let signIn = SignInRoutes(sessions: sessions, renderer: renderer, trustProxy: config.trustProxy)
    signIn.register(public: webPublic)
    WebRoute.register(
        signIn.routes
            + WebPages(
                client: client,
                renderer: renderer,
                config: config,
                credentialCache: credentialCache,
                exports: exports,
                vacancies: vacancies,
                referrals: referrals,
                candidates: candidates,
                matchBatches: matchBatches,
                placements: placements,
                progress: progress
            ).routes,
        on: web
    )

    let employer = authenticated.group("api/v1")
        .add(middleware: EmployerOnlyMiddleware())
        .add(middleware: RateLimitMiddleware(limiter: RateLimiter(perMinute: config.employerRateLimitPerMinute)))
        .add(middleware: BodyLimitMiddleware())
        .add(middleware: PrettyJSONMiddleware())
        .add(
            middleware: IdempotencyMiddleware(
                client: client,
                vacancyPost: VacancyPostShortcut(client: client, catalogue: catalogue, skills: SkillNameIndex())
            )
        )
        .add(middleware: EmployerCallerMiddleware())
    let handler = EmployerAPIHandler(
        vacancies: vacancies,
        referrals: EmployerReferrals(client: client),
        webhooks: webhooks
    )
    try handler.registerHandlers(on: employer, serverURL: URL(string: "/")!, configuration: EmployerAPIHandler.configuration)
    return router
}

/// What every answer goes through, the routes' and `DatabaseDeadlineResponder`'s own 503 alike:
/// security headers, the request log, metrics, problem details.
func addOuterMiddleware(to router: Router<AppRequestContext>) {
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
}
