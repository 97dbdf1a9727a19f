import Hummingbird
import JobMatchCore
import Logging
import PostgresNIO

/// The weights of the matching score: everyone on staff may read them, only an admin changes
/// them, and every change is in the audit trail with the values before and after.
struct MatchWeightsRoutes {
    let client: PostgresClient

    struct Weight: Codable {
        let key: String
        let points: Int
        let label: String
    }

    struct WeightList: ResponseCodable {
        let weights: [Weight]
    }

    /// `PUT /matching/weights` body: some or all weights by key.
    struct Change: Decodable {
        let weights: [String: Int]
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("matching/weights", use: self.list)
        group.put("matching/weights", use: self.change)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> WeightList {
        _ = try context.requireStaff()
        return try await self.client.withConnection { connection in
            try await Self.list(on: connection, logger: context.logger)
        }
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> WeightList {
        let staff = try context.requireStaff()
        guard staff.role == .admin else { throw AppError.forbidden }
        let input = try await request.decodeJSON(Change.self, context: context)
        let known = Set(MatchWeights.catalogue.map(\.key))
        for (key, points) in input.weights.sorted(by: { $0.key < $1.key }) {
            guard known.contains(key) else {
                throw AppError.invalid(field: "weights.\(key)", "Không có trọng số '\(key)'. Các trọng số: \(known.sorted().joined(separator: ", ")).")
            }
            guard (0...MatchWeights.maximumPoints).contains(points) else {
                throw AppError.invalid(field: "weights.\(key)",
                                       "Trọng số phải là số nguyên từ 0 đến \(MatchWeights.maximumPoints); không trọng số nào được làm giảm điểm.")
            }
        }
        guard !input.weights.isEmpty else { throw AppError.invalid(field: "weights", "Cần ít nhất một trọng số để thay đổi.") }
        let logger = context.logger
        return try await self.client.withTransaction(logger: logger) { tx in
            let current = try await Self.load(on: tx, logger: logger, lock: true)
            var before: [String: String] = [:]
            var after: [String: String] = [:]
            for (key, points) in input.weights where current[key] != points {
                before[key] = "\(current[key])"
                after[key] = "\(points)"
                try await tx.query("UPDATE match_weights SET points = \(points), updated_by = \(staff.id), updated_at = now() WHERE key = \(key)",
                                   logger: logger)
            }
            if !after.isEmpty {
                try await AuditLog.record(on: tx, actor: context.principal, action: "update", entity: "match_weights", entityID: 0,
                                          before: before, after: after, logger: logger)
            }
            return try await Self.list(on: tx, logger: logger)
        }
    }

    /// The weights in force (the defaults for any key missing from the table).
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

extension MatchWeights {
    /// The weights in `match_weights.position` order, as `candidate_points` takes them.
    var ordered: [Int] { Self.catalogue.map { self[$0.key] } }
}
