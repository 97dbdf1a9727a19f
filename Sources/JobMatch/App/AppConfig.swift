import Configuration
import Foundation
import JobMatchCore
import Logging

/// Every setting of the service, read once at start (flags > environment > `.env` > defaults).
public struct AppConfig: Sendable {
    /// Address and port the HTTP server binds.
    public var host: String
    public var port: Int
    /// Home of the embedded cluster (used only without `databaseURL`).
    public var home: String
    /// An external PostgreSQL server; when set, nothing is started.
    public var databaseURL: String?
    /// The same server as the schema's owner, for migrations and the reference data load
    /// (`DATABASE_OWNER_URL`); unset: `databaseURL` does both (and the service runs as the owner).
    public var databaseOwnerURL: String?
    /// A streaming standby of the same server (`DATABASE_REPLICA_URL`): exports, reports, the
    /// dashboard's aggregates and the matching copy's full read go there while it is caught up
    /// (`ReadRouter`); unset: everything reads the primary, as before.
    public var databaseReplicaURL: String? = nil
    /// Past this lag the replica's reads go back to the primary (`DATABASE_REPLICA_MAX_LAG_SECONDS`, 30).
    public var replicaMaxLag: Duration = .seconds(30)
    /// How often the replica's lag is measured.
    public var replicaLagInterval: Duration = .seconds(1)
    /// Name of the database inside the embedded cluster.
    public var databaseName: String
    /// Folder with `NNNN_name.sql` migrations and `reference/*.csv`.
    public var sqlDirectory: String
    public var logLevel: Logger.Level
    /// Extra settings for the embedded cluster (tests turn fsync off).
    public var embeddedSettings: [String: String]
    /// Connections the pool may open.
    public var maxConnections: Int
    /// Requests an employer API key may make per minute (a burst of a sixth of it at once).
    public var employerRateLimitPerMinute: Int = 600
    /// Which webhook targets employers may register; by default only https on public addresses.
    public var webhookPolicy: WebhookTargetPolicy = .init()
    /// The key that seals webhook signing secrets (`WEBHOOK_SECRET_KEY`, base64 of 32 bytes), or the
    /// file holding it (`WEBHOOK_SECRET_KEY_FILE`); with neither, `<home>/webhook-secret.key`, made on first start.
    public var webhookSecretKey: String? = nil
    public var webhookSecretKeyFile: String? = nil
    /// Earlier keys, still accepted for opening until `jobmatch webhooks rekey` has run (`WEBHOOK_SECRET_OLD_KEYS`).
    public var webhookSecretOldKeys: [String] = []
    /// How often queued webhook deliveries are looked at.
    public var webhookPollInterval: Duration = .seconds(2)
    /// Seconds before the first retry of a failed webhook delivery (doubling after each).
    public var webhookRetryBaseSeconds = 30
    /// Keep callers found valid in memory while listening for credential changes. Turn off behind
    /// a connection pooler in transaction mode, where LISTEN does not hear notifications.
    public var credentialCache = true
    /// Keep every eligible worker in memory so that one vacancy's candidates are ranked without
    /// scoring the whole registry (`CANDIDATE_INDEX`; about 300 bytes a worker).
    public var candidateIndex = true
    /// Behind a reverse proxy on this machine or the local network: take the client's address for
    /// sign-in throttling from the proxy's `X-Forwarded-For` (`TRUST_PROXY`; off by default, since a
    /// client could otherwise claim any address).
    public var trustProxy = false
    /// Requests get 503 at once when the database has not answered the service's probe for this
    /// long (`DATABASE_GATE_SECONDS`), rather than waiting for a connection.
    public var databaseGate: Duration = .seconds(3)
    /// The provinces the centre serves, whose wards its forms offer (`HOME_PROVINCE`, default 93,
    /// Hậu Giang; `92,93,94` or `2025:92` for the merged Cần Thơ; see `HomeTerritory`).
    public var homeTerritory = HomeTerritory()
    /// Who issues the printed monthly report and to whom (`REPORT_ISSUER`, `REPORT_RECIPIENT`).
    public var reportIssuer = "TRUNG TÂM DỊCH VỤ VIỆC LÀM"
    public var reportRecipient = "Sở Nội vụ"
    /// The centre's phone on the public vacancy board (`CENTRE_PHONE`; none shown by default).
    public var centrePhone = ""
    /// The service's address as the public reaches it (`PUBLIC_BASE_URL`, e.g. `https://vieclam.example.vn`),
    /// which the QR code on a referral letter points at; unset, the address the server binds.
    public var publicBaseURL: String? = nil
    /// How often the public board reads the open vacancies again (`PUBLIC_BOARD_REFRESH_SECONDS`).
    public var publicBoardRefresh: Duration = .seconds(60)
    /// The web app's templates and static files (`JOBMATCH_WEB_DIR`).
    public var webDirectory: String = AppConfig.defaultWebDirectory()
    /// Draw a page only when its template's every value is given, else answer 500 naming the
    /// missing ones (the tests turn this on; swift-mustache otherwise renders them as nothing).
    public var strictTemplates = false
    /// Session timeouts, bcrypt cost and sign-in throttling of the web app
    /// (`SESSION_IDLE_MINUTES`, `SESSION_ABSOLUTE_HOURS`).
    var webSessions = WebSessionPolicy()
    /// Limits of the service's database sessions (`DATABASE_STATEMENT_TIMEOUT_SECONDS`,
    /// `DATABASE_LOCK_TIMEOUT_SECONDS`, `DATABASE_IDLE_IN_TRANSACTION_SECONDS`, `DATABASE_CONNECT_TIMEOUT_SECONDS`).
    public var sessionTimeouts = SessionTimeouts()
    /// How long a request waits for its share of the connection pool before 503 (`DATABASE_WAIT_SECONDS`).
    public var connectionWait: Duration = .seconds(10)
    /// Streamed exports and reports downloaded at once (`EXPORT_MAX_CONCURRENT`); nil: a quarter of the pool.
    public var maxConcurrentExports: Int? = nil
    /// When the monthly placement files are made on their own (`EXPORT_SCHEDULE`, `EXPORT_SCHEDULE_DAY`).
    public var exportSchedule = ExportScheduleConfig()
    /// What is deleted when, by the retention service (`RETENTION`, `EXPORT_RETENTION_YEARS`,
    /// `AUDIT_RETENTION_YEARS`, `WEBHOOK_DELIVERY_RETENTION_DAYS`).
    public var retention = RetentionConfig()
    /// Messages to workers (`SMS_GATEWAY_URL`, `SMS_ASCII`, `SMS_PER_MINUTE`, `SMS_DAILY_CAP`).
    public var sms = SmsConfig()

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        home: String = ".jobmatch",
        databaseURL: String? = nil,
        databaseName: String = "jobmatch",
        sqlDirectory: String = AppConfig.defaultSQLDirectory(),
        logLevel: Logger.Level = .info,
        embeddedSettings: [String: String] = [:],
        maxConnections: Int = 20
    ) {
        self.host = host
        self.port = port
        self.home = home
        self.databaseURL = databaseURL
        self.databaseName = databaseName
        self.sqlDirectory = sqlDirectory
        self.logLevel = logLevel
        self.embeddedSettings = embeddedSettings
        self.maxConnections = maxConnections
    }

    /// Reads `PORT`, `HOST`, `JOBMATCH_HOME`, `DATABASE_URL`, `JOBMATCH_SQL_DIR`, `LOG_LEVEL`
    /// from the environment, then from `./.env` if present.
    public static func fromEnvironment() async throws -> AppConfig {
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
        ])
        var config = AppConfig()
        config.host = reader.string(forKey: "host", default: config.host)
        config.port = reader.int(forKey: "port", default: config.port)
        config.home = reader.string(forKey: "jobmatch.home", default: config.home)
        config.databaseURL = reader.string(forKey: "database.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        config.databaseOwnerURL = reader.string(forKey: "database.owner.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        try config.readReplica(reader)
        config.sqlDirectory = reader.string(forKey: "jobmatch.sql.dir", default: config.sqlDirectory)
        config.logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info").lowercased()) ?? .info
        config.maxConnections = reader.int(forKey: "database.max.connections", default: config.maxConnections)
        config.employerRateLimitPerMinute = reader.int(forKey: "employer.rate.limit.per.minute", default: config.employerRateLimitPerMinute)
        config.webhookPolicy.allowHTTP = reader.bool(forKey: "webhook.allow.http", default: false)
        config.webhookPolicy.allowPrivateTargets = reader.bool(forKey: "webhook.allow.private.targets", default: false)
        config.webhookPolicy.resolveTimeout = .seconds(min(60, max(1, reader.int(forKey: "webhook.resolve.seconds", default: 5))))
        config.webhookSecretKey = reader.string(forKey: "webhook.secret.key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        config.webhookSecretKeyFile = reader.string(forKey: "webhook.secret.key.file").flatMap { $0.isEmpty ? nil : $0 }
        config.webhookSecretOldKeys = (reader.string(forKey: "webhook.secret.old.keys", isSecret: true) ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        config.credentialCache = reader.bool(forKey: "credential.cache", default: true)
        config.webDirectory = reader.string(forKey: "jobmatch.web.dir", default: config.webDirectory)
        config.webSessions.idleTimeout = .seconds(60 * max(1, reader.int(forKey: "session.idle.minutes", default: 30)))
        config.webSessions.absoluteTimeout = .seconds(3600 * max(1, reader.int(forKey: "session.absolute.hours", default: 12)))
        config.candidateIndex = reader.bool(forKey: "candidate.index", default: true)
        config.trustProxy = reader.bool(forKey: "trust.proxy", default: false)
        config.databaseGate = .seconds(min(600, max(1, reader.int(forKey: "database.gate.seconds", default: 3))))
        // Decides which wards the forms offer and which placements count: a wrong one is refused at start.
        guard let territory = HomeTerritory(parsing: reader.string(forKey: "home.province", default: "93")) else {
            throw InvalidSetting(name: "HOME_PROVINCE", reason: "two-digit province codes separated by commas, each optionally written 2025:NN")
        }
        config.homeTerritory = territory
        config.reportIssuer = CleanText.normalize(reader.string(forKey: "report.issuer", default: config.reportIssuer))
        config.reportRecipient = CleanText.normalize(reader.string(forKey: "report.recipient", default: config.reportRecipient))
        config.centrePhone = CleanText.normalize(reader.string(forKey: "centre.phone", default: ""))
        if let base = reader.string(forKey: "public.base.url"), !base.trimmingCharacters(in: .whitespaces).isEmpty {
            // Printed in every letter's QR code: a wrong one is refused at start, not printed.
            guard let valid = Self.baseURL(base) else {
                throw InvalidSetting(name: "PUBLIC_BASE_URL", reason: "an http(s) address of at most 150 characters, without query")
            }
            config.publicBaseURL = valid
        }
        config.publicBoardRefresh = .seconds(min(3600, max(5, reader.int(forKey: "public.board.refresh.seconds", default: 60))))
        config.sessionTimeouts.statement = .seconds(max(1, reader.int(forKey: "database.statement.timeout.seconds", default: 30)))
        config.sessionTimeouts.lock = .seconds(max(1, reader.int(forKey: "database.lock.timeout.seconds", default: 10)))
        config.sessionTimeouts.idleInTransaction = .seconds(max(1, reader.int(forKey: "database.idle.in.transaction.seconds", default: 60)))
        config.sessionTimeouts.connect = .seconds(min(600, max(1, reader.int(forKey: "database.connect.timeout.seconds", default: 5))))
        config.connectionWait = .seconds(min(600, max(1, reader.int(forKey: "database.wait.seconds", default: 10))))
        config.maxConcurrentExports = reader.int(forKey: "export.max.concurrent").map { max(1, $0) }
        config.exportSchedule.enabled = reader.bool(forKey: "export.schedule", default: true)
        config.exportSchedule.day = min(28, max(1, reader.int(forKey: "export.schedule.day", default: 1)))
        config.retention.enabled = reader.bool(forKey: "retention", default: true)
        config.retention.exportYears = min(50, max(1, reader.int(forKey: "export.retention.years", default: config.retention.exportYears)))
        config.retention.auditYears = reader.int(forKey: "audit.retention.years").map { min(100, max(5, $0)) }
        config.retention.webhookDeliveryDays = reader.int(forKey: "webhook.delivery.retention.days").map { min(36500, max(90, $0)) }
        config.sms.gatewayURL = reader.string(forKey: "sms.gateway.url", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        config.sms.ascii = reader.bool(forKey: "sms.ascii", default: false)
        config.sms.perMinute = min(10_000, max(1, reader.int(forKey: "sms.per.minute", default: config.sms.perMinute)))
        config.sms.dailyCap = min(1_000_000, max(0, reader.int(forKey: "sms.daily.cap", default: config.sms.dailyCap)))
        return config
    }

    /// A setting whose value cannot be used.
    struct InvalidSetting: Error, CustomStringConvertible {
        let name: String
        let reason: String
        var description: String { "\(self.name) must be \(self.reason)" }
    }

    /// `text` as a base address: http(s), a host, no query or fragment, without the trailing slash; else nil.
    static func baseURL(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 150, let url = URL(string: trimmed), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false,
            url.query == nil, url.fragment == nil
        else { return nil }
        return trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
    }

    /// Where the public reaches the service: `publicBaseURL`, else the address the server binds.
    var publicBase: String {
        self.publicBaseURL ?? "http://\(["0.0.0.0", "::"].contains(self.host) ? "127.0.0.1" : self.host):\(self.port)"
    }

    /// Streamed exports allowed at once: the setting, else a quarter of the pool (at least one).
    var exportLimit: Int { self.maxConcurrentExports ?? max(1, self.maxConnections / 4) }

    /// Requests that may use the database at once: the pool less the exports' share and one
    /// connection for the background services (the credential listener holds one).
    var requestLimit: Int { max(1, self.maxConnections - self.exportLimit - 1) }

    /// `./web` when run from the checkout, else next to the installed binary.
    public static func defaultWebDirectory() -> String { self.defaultDirectory("web", holding: "templates/header.mustache") }

    /// `./sql` when run from the checkout, else next to the installed binary.
    public static func defaultSQLDirectory() -> String { self.defaultDirectory("sql", holding: "0001_reference.sql") }

    /// The first of `./name`, the checkout's `name` next to a built binary, and `share/jobmatch/name`
    /// next to an installed one, that holds `file`; else `./name`.
    static func defaultDirectory(_ name: String, holding file: String) -> String {
        let fm = FileManager.default
        var candidates = [fm.currentDirectoryPath + "/" + name]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = executable.deletingLastPathComponent()
            candidates.append(bin.appendingPathComponent("../../../" + name).standardizedFileURL.path)
            candidates.append(bin.appendingPathComponent("../share/jobmatch/" + name).standardizedFileURL.path)
        }
        return candidates.first { fm.fileExists(atPath: $0 + "/" + file) } ?? candidates[0]
    }
}
