import ArgumentParser
import JobMatch

/// `jobmatch staff add USERNAME --role admin|officer|viewer`, `jobmatch staff password USERNAME`.
struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage staff accounts.", subcommands: [Add.self, Password.self])

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a staff account's password for the web app, read from the first line of standard input; ends their open sessions.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The account's login name.")
        var username: String

        func run() async throws {
            try await reportingFailures {
                let config = try await self.database.config()
                let logger = commandLogger()
                guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                    throw CLIError("Nhập mật khẩu mới vào dòng đầu tiên của đầu vào chuẩn (stdin).")
                }
                let username = self.username
                let problem = try await Database.withClients(config, logger: logger) { owner, client in
                    try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(owner)
                    return try await StaffPasswords(client: client, logger: logger).set(username: username, password: password)
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

        func run() async throws {
            try await reportingFailures {
                let config = try await self.database.config()
                let logger = commandLogger()
                let (username, role) = (self.username, self.role)
                let token = try await Database.withClients(config, logger: logger) { owner, client in
                    try await Migrator(directory: config.sqlDirectory, logger: logger).migrate(owner)
                    return try await CredentialStore(client: client, logger: logger).addStaff(username: username, role: role).token
                }
                print("Created \(role.rawValue) '\(username)'. API token (shown once, keep it safe):")
                print(token.value)
            }
        }
    }
}

extension StaffRole: ExpressibleByArgument {}
