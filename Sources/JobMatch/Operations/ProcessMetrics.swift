import Metrics
import Prometheus

/// The process's metrics: swift-metrics bootstrapped once per process with a Prometheus
/// registry (bootstrapping twice traps, and the tests build many applications in one process).
/// The composition root asks for it and hands the registry to `/metrics`.
enum ProcessMetrics {
    private static let shared: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Bootstraps the metrics system on the first call; returns the registry every time.
    static func bootstrap() -> PrometheusCollectorRegistry {
        Self.shared
    }
}
