import Configuration

extension AppConfig {
    /// Reads `DATABASE_REPLICA_URL` and `DATABASE_REPLICA_MAX_LAG_SECONDS`; a value that cannot be
    /// used stops the start naming its setting (a typo must not silently send every read to the primary).
    mutating func readReplica(_ reader: ConfigReader) throws {
        if let url = reader.string(forKey: "database.replica.url", isSecret: true), !url.trimmingCharacters(in: .whitespaces).isEmpty {
            guard (try? DatabaseURL.configuration(from: url)) != nil else {
                throw InvalidSetting(name: "DATABASE_REPLICA_URL", reason: "a postgres://user:password@host:port/database address")
            }
            self.databaseReplicaURL = url
        }
        if let text = reader.string(forKey: "database.replica.max.lag.seconds") {
            guard let limit = Self.replicaMaxLag(text) else {
                throw InvalidSetting(name: "DATABASE_REPLICA_MAX_LAG_SECONDS", reason: "a number of seconds from 0.1 to 86400")
            }
            self.replicaMaxLag = limit
        }
    }

    /// `text` as a lag limit: seconds, fractions allowed, from 0.1 to a day; else nil.
    static func replicaMaxLag(_ text: String) -> Duration? {
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0.1, seconds <= 86_400 else {
            return nil
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
