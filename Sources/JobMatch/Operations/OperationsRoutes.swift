import Hummingbird
import Logging
import PostgresNIO
import Prometheus

/// `/healthz` (process alive), `/readyz` (database reachable, migrations current), `/metrics`.
struct OperationsRoutes {
    let client: PostgresClient
    let migrator: Migrator
    /// The migration files as read at start: readiness polls must not re-read and hash them.
    let expected: [Migrator.Migration]

    /// The registry `/metrics` shows (`ProcessMetrics.bootstrap()`, called by the composition root).
    let registry: PrometheusCollectorRegistry

    struct Health: ResponseCodable {
        let status: String
    }

    func registerPublic(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in Health(status: "ok") }
        router.get("readyz", use: self.ready)
    }

    /// Metrics need a staff credential.
    func registerMetrics(on group: RouterGroup<AppRequestContext>) {
        let registry = self.registry
        group.get("metrics") { _, context in
            _ = try context.requireStaff()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Health> {
        let current: Bool
        do {
            current = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await self.migrator.isCurrent(self.client, expected: self.expected) }
                group.addTask {
                    try await Task.sleep(for: .seconds(3))
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
        } catch {
            current = false
        }
        return EditedResponse(status: current ? .ok : .serviceUnavailable, response: Health(status: current ? "ready" : "not ready"))
    }
}
