import ArgumentParser
import JobMatch

/// `jobmatch staff add USERNAME --role admin|officer|viewer [--expires YYYY-MM-DD]`, `jobmatch staff password USERNAME`,
/// `jobmatch staff token USERNAME [--expires YYYY-MM-DD]`, `jobmatch staff tokens USERNAME`.
struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff accounts.",
        subcommands: [Add.self, Password.self, Token.self, Tokens.self]
    )

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a staff account's password for the web app, read from the first line of standard input; ends their open sessions."
        )

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The account's login name.")
        var username: String

        func run() async throws {
            try await reportingFailures {
                guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                    throw CLIError("Nhập mật khẩu mới vào dòng đầu tiên của đầu vào chuẩn (stdin).")
                }
                let username = self.username
                let problem = try await self.database.withMigratedClient { client, logger in
                    try await StaffPasswords(client: client, logger: logger).set(username: username, password: password)
                }
                if let problem { throw CLIError(problem) }
                print("Đã đặt mật khẩu cho '\(username)'.")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account and print its API token once.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "Login name: lower-case letters, digits, '.', '_' or '-'.")
        var username: String

        @Option(name: .long, help: "admin, officer or viewer.")
        var role: StaffRole

        @Option(name: .long, help: "The last day (YYYY-MM-DD, Vietnam time) the API token works; no end when left out.")
        var expires: String?

        func run() async throws {
            try await reportingFailures {
                let (username, role) = (self.username, self.role)
                let expiresOn = try expiryDay(self.expires)
                let token = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).addStaff(username: username, role: role, expiresOn: expiresOn).token
                }
                print("Created \(role.rawValue) '\(username)'. API token (shown once, keep it safe):")
                print(token.value)
            }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue another API token for an active staff account and print it once.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The account's login name.")
        var username: String

        @Option(name: .long, help: "The last day (YYYY-MM-DD, Vietnam time) the token works; no end when left out.")
        var expires: String?

        func run() async throws {
            try await reportingFailures {
                let username = self.username
                let expiresOn = try expiryDay(self.expires)
                let token = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).issueStaffToken(username: username, expiresOn: expiresOn, by: nil)
                }
                guard let token else { throw CLIError("Không có tài khoản cán bộ đang hoạt động '\(username)'.") }
                print("API token for '\(username)'\(expiresOn.map { " (works through \($0))" } ?? "") (shown once, keep it safe):")
                print(token.value)
            }
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a staff account's API tokens (prefix, created, last used, expires, revoked).")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The account's login name.")
        var username: String

        func run() async throws {
            try await reportingFailures {
                let username = self.username
                let tokens = try await self.database.withMigratedClient { client, logger in
                    try await CredentialStore(client: client, logger: logger).staffTokens(username: username)
                }
                guard let tokens else { throw CLIError("Không có tài khoản cán bộ '\(username)'.") }
                print("id\tprefix\tcreated\tlast used\texpires\trevoked")
                for token in tokens {
                    print(
                        "\(token.id)\t\(token.prefix)\t\(token.createdAt)\t\(token.lastUsedAt ?? "-")\t\(token.expiresOn ?? "-")\t\(token.revokedAt ?? "-")"
                    )
                }
            }
        }
    }
}

extension StaffRole: ExpressibleByArgument {}
