import Vapor
import Metrics
import Prometheus

/// Prometheus metrics. Vapor itself reports `http_requests_total` and
/// `http_request_duration_seconds` per route pattern (never per raw path, so ids do not
/// explode the label set); Tsunagu adds database pool use and matching-round durations.
enum AppMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// The metrics system can be bootstrapped once per process, even when tests build many apps.
    static let bootstrap: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    static let connectionsInUse = registry.makeGauge(
        name: "tsunagu_db_connections_in_use", help: "Pooled PostgreSQL connections leased by transactions right now")
    static let roundDuration = registry.makeDurationHistogram(
        name: "tsunagu_matching_round_duration_seconds",
        buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                  .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60)],
        help: "Matching rounds: loading, scoring, assignment and storing")

    /// `GET /metrics` in the Prometheus text format.
    static func serve(req: Request) async throws -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }
}
