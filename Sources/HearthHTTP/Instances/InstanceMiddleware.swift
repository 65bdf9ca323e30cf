import HearthCore
import HearthRegistry
import HearthRuntime
import Hummingbird
import Logging
import NIOCore

/// Serves instance hosts (`<slug>.<domain>`): lets in only what the gate admits (the owner,
/// public routes, keys), then serves the platform's reserved `/__space/*` paths, or routes
/// each request by path to its micro — files served by the node for static
/// micros, a proxied request to a process (started on demand) for the others. Every request
/// that reaches an instance is counted on its meter.
struct InstanceMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalog: InstanceCatalog
    let gate: InstanceGate
    let meters: MeterBook
    let proxy: MicroProxy
    let files = StaticResponder()
    let base: BaseController
    let drive: DriveController

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let address = catalog.address
        guard let host = request.head.authority, let slug = address.instanceLabel(ofHost: host) else {
            if let sibling = await siblingCall(request, context: context) { return sibling }
            return try await next(request, context)
        }
        let instance: LoadedInstance?
        do {
            instance = try await catalog.instance(slug: slug)
        } catch {
            context.logger.error("Cannot load instance", metadata: ["instance": "\(slug)", "error": "\(error)"])
            return InstancePages.page(
                .internalServerError, title: "This app cannot be loaded", message: error.message)
        }
        // From inside a sandbox, only the instance's own host answers.
        guard let instance, context.roomInstance == nil || context.roomInstance == instance.info.id else {
            return InstancePages.noInstance(host: host)
        }
        guard instance.info.state == .ready else { return InstancePages.installing(instance.info.appName) }
        let path = RequestPath.normalized(request.uri.path)
        if path == InstanceGate.landingPath { return await gate.land(request, instance: instance, context: context) }
        let isReserved = path.hasPrefix("/__space/")
        let routed = isReserved ? nil : instance.route(path)
        let admission: Admission
        switch await gate.admit(request, instance: instance, micro: routed?.micro.micro, microPath: routed?.path ?? path, context: context)
        {
        case .refuse(let refusal): return refusal
        case .admit(let how): admission = how
        }
        let meter = meters.meter(instance.info.id)
        let request = meter.counting(request)
        let forwarding = Forwarding(host: host, scheme: context.scheme(node: address.scheme), admission: admission)
        let response: Response
        if let routed {
            response = await serve(
                request, micro: routed.micro, path: routed.path, instance: instance, forwarding: forwarding, context: context)
        } else if path == "/__space/v0/actions" {
            response = await action(request, instance: instance, forwarding: forwarding, context: context)
        } else {
            response = await reserved(request, path: path, instance: instance, context: context)
        }
        return meter.counting(response)
    }

    /// A micro calling a sibling micro through the node (`$HEARTH_API_URL/<path>` with
    /// `X-API-Key: $DETA_API_KEY`): served as a request to that instance's host. `nil` when the
    /// request is not one. From inside a sandbox the key must be the sandbox's own instance's.
    private func siblingCall(_ request: Request, context: Context) async -> Response? {
        let path = RequestPath.normalized(request.uri.path)
        guard let key = request.headers[APIAccess.apiKeyHeader], context.isFromLoopback || context.roomInstance != nil,
            !path.hasPrefix("/v1/"), !path.hasPrefix("/__hearth/"), path != "/healthz",
            let instance = try? await catalog.instance(internalKey: key), instance.info.state == .ready,
            context.roomInstance == nil || context.roomInstance == instance.info.id
        else { return nil }
        let meter = meters.meter(instance.info.id)
        let address = catalog.address
        let forwarding = Forwarding(
            host: address.host(slug: instance.info.slug), scheme: context.scheme(node: address.scheme), admission: .internalKey)
        let (micro, microPath) = instance.route(path)
        return meter.counting(
            await serve(
                meter.counting(request), micro: micro, path: microPath, instance: instance, forwarding: forwarding, context: context))
    }

    /// Sends a request to its micro: files for a static site, else the proxy.
    func serve(
        _ request: Request, micro: LoadedMicro, path: String, instance: LoadedInstance, forwarding: Forwarding, context: Context
    ) async -> Response {
        switch micro.target {
        case .staticSite(let site):
            return await files.respond(site, path: path, query: request.uri.query, request: request, context: context)
        case .process(let spec):
            let target = request.uri.query.map { "\(path)?\($0)" } ?? path
            return await proxy.forward(
                request, to: spec, path: target, forwarding: forwarding, instanceName: instance.info.appName, context: context)
        }
    }

    /// `POST /__space/v0/actions` from the owner (the scheduler delivers its own directly): goes,
    /// unstripped, to the micro declaring the event's action (else the primary micro).
    private func action(_ request: Request, instance: LoadedInstance, forwarding: Forwarding, context: Context) async -> Response {
        guard request.method == .post else { return Response(status: .methodNotAllowed, headers: [.allow: "POST"]) }
        var request = request
        let body = (try? await request.collectBody(upTo: 64 * 1024)) ?? ByteBuffer()
        let event = (try? JSONParser.parse(Array(body.readableBytesView)))?.objectValue?["event"]?.objectValue
        let id = event?["id"]?.stringValue
        let micro = instance.micros.first { $0.micro.actions.contains { $0.id == id } } ?? instance.route("/").micro
        guard case .process(let spec) = micro.target else {
            return InstancePages.page(.notFound, title: "No actions here", message: "\(micro.micro.name) serves static files only.")
        }
        return await proxy.forward(
            request, to: spec, path: "/__space/v0/actions", forwarding: forwarding, instanceName: instance.info.appName, context: context)
    }

    /// `/__space/v0/base|drive/v1/<ignored>/…` is the browser SDK's way to the instance's own
    /// collection (spec §5.7); the rest of `/__space/` belongs to the platform.
    private func reserved(_ request: Request, path: String, instance: LoadedInstance, context: Context) async -> Response {
        for service in ["base", "drive"] {
            let prefix = "/__space/v0/\(service)/v1/"
            guard path.hasPrefix(prefix) else { continue }
            let rest = path.dropFirst(prefix.count).drop { $0 != "/" }
            let collection = instance.info.collection
            switch DetaRoute.parse(method: request.method.rawValue, rawPath: "/v1/\(instance.info.id)\(rest)") {
            case .success(.base(let route))?:
                return await base.respond(to: request, route: route, collection: collection, logger: context.logger)
            case .success(.drive(let route))?:
                return await drive.respond(to: request, route: route, collection: collection, logger: context.logger)
            default:
                return JSONResponse.errors(.notFound, "Not found")
            }
        }
        return InstancePages.page(.notFound, title: "Not found", message: "\(path) is reserved by the platform.")
    }
}
