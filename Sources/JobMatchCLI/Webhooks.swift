import ArgumentParser
import JobMatch

/// `jobmatch webhooks rekey`: re-seals every webhook signing secret with the current key.
struct Webhooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the keys that seal webhook signing secrets.",
        subcommands: [Rekey.self]
    )

    struct Rekey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every webhook signing secret with WEBHOOK_SECRET_KEY (old keys in WEBHOOK_SECRET_OLD_KEYS), and seal plain ones."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await reportingFailures {
                let config = try await self.database.config()
                let logger = commandLogger()
                let keyring = try WebhookSecretKeyring.load(config, logger: logger)
                let outcome = try await self.database.withMigratedClient { client, logger in
                    try await WebhookSecretStore(client: client, keyring: keyring, logger: logger).rekey()
                }
                print("re-sealed with key \(keyring.currentID): \(outcome.resealed)")
                if outcome.unopenable > 0 {
                    FileHandleStderr.write(
                        "jobmatch: \(outcome.unopenable) secret(s) are sealed with a key that is not configured; "
                            + "add it to WEBHOOK_SECRET_OLD_KEYS and run again\n"
                    )
                    throw ExitCode.failure
                }
            }
        }
    }
}
