import Hummingbird
import NIOCore
import Prometheus

/// `GET /metrics`: the registry in Prometheus' text exposition format.
struct PrometheusRoutes {
    let registry: PrometheusCollectorRegistry

    var routes: [Route] {
        [.get("metrics") { _, _ in
            var bytes: [UInt8] = []
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }]
    }
}
