import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The weights of the matching score as stored in `match_weights`: read by the ranking and the
/// batch, listed for staff, changed by an admin with the values before and after in the audit trail.
struct MatchWeightsRepository: Sendable {
    let client: PostgresClient

    /// One weight with its Vietnamese label.
    struct Weight: Codable {
        let key: String
        let points: Int
        let label: String
    }

    /// Every weight, in catalogue order (`GET /matching/weights`).
    struct WeightList: ResponseCodable {
        let weights: [Weight]
    }

    /// `PUT /matching/weights` body: some or all weights by key.
    struct Change: Decodable {
        let weights: [String: Int]
    }

    /// The weights in force with their labels.
    func list(logger: Logger) async throws -> WeightList {
        try await self.client.withConnection { connection in
            try await Self.list(on: connection, logger: logger)
        }
    }

    /// Changes the given weights (each known, 0 to the maximum), audited by `staffID`; returns them all.
    func change(_ input: Change, staffID: Int64, actor: Principal?, logger: Logger) async throws -> WeightList {
        let known = Set(MatchWeights.catalogue.map(\.key))
        for (key, points) in input.weights.sorted(by: { $0.key < $1.key }) {
            guard known.contains(key) else {
                throw AppError.invalid(
                    field: "weights.\(key)",
                    "Không có trọng số '\(key)'. Các trọng số: \(known.sorted().joined(separator: ", "))."
                )
            }
            guard (0...MatchWeights.maximumPoints).contains(points) else {
                throw AppError.invalid(
                    field: "weights.\(key)",
                    "Trọng số phải là số nguyên từ 0 đến \(MatchWeights.maximumPoints); không trọng số nào được làm giảm điểm."
                )
            }
        }
        guard !input.weights.isEmpty else { throw AppError.invalid(field: "weights", "Cần ít nhất một trọng số để thay đổi.") }
        return try await self.client.withTransaction(logger: logger) { tx in
            let current = try await Self.load(on: tx, logger: logger, lock: true)
            var before: [String: String] = [:]
            var after: [String: String] = [:]
            for (key, points) in input.weights where current[key] != points {
                before[key] = "\(current[key])"
                after[key] = "\(points)"
                try await tx.query(
                    "UPDATE match_weights SET points = \(points), updated_by = \(staffID), updated_at = now() WHERE key = \(key)",
                    logger: logger
                )
            }
            if !after.isEmpty {
                try await AuditLog.record(
                    on: tx,
                    actor: actor,
                    action: "update",
                    entity: "match_weights",
                    entityID: 0,
                    before: before,
                    after: after,
                    logger: logger
                )
            }
            return try await Self.list(on: tx, logger: logger)
        }
    }

    /// The weights in force (the defaults for any key missing from the table), on the caller's connection.
    static func load(on connection: PostgresConnection, logger: Logger, lock: Bool = false) async throws -> MatchWeights {
        let rows = try await connection.query("SELECT key, points FROM match_weights \(unescaped: lock ? "FOR UPDATE" : "")", logger: logger)
        var stored: [(String, Int)] = []
        for try await row in rows.decode((String, Int).self) { stored.append(row) }
        return Self.weights(stored)
    }

    /// The weights from `match_weights` rows: the defaults for keys missing, unknown keys ignored.
    static func weights(_ rows: [(String, Int)]) -> MatchWeights {
        var points = Dictionary(uniqueKeysWithValues: MatchWeights.catalogue.map { ($0.key, $0.points) })
        for (key, value) in rows where points[key] != nil { points[key] = value }
        return MatchWeights(points: points) ?? .defaults
    }

    /// The weights in force with their Vietnamese labels, in catalogue order.
    static func list(on connection: PostgresConnection, logger: Logger) async throws -> WeightList {
        let weights = try await Self.load(on: connection, logger: logger)
        return WeightList(weights: MatchWeights.catalogue.map { Weight(key: $0.key, points: weights[$0.key], label: $0.label) })
    }
}
