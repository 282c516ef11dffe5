import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP

/// The composition root: the receiver, the worker and the dispatcher over one store, as one
/// list of services. `triage serve` runs it; tests run it in-process on an ephemeral port.
public struct TriageServer {
    /// Which parts run in this process. Several processes with different roles share one store.
    public enum Role: String, CaseIterable, Sendable {
        /// HTTP receiver and API only: incidents are stored and queued, never triaged here.
        case receiver
        /// Worker and dispatcher only, no HTTP.
        case worker
        /// Everything (the default).
        case all
    }

    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        public var role = Role.all
        public var environment: [String: String] = ProcessInfo.processInfo.environment
        /// Used as the lease owner; unique per process.
        public var instanceID = "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        public var workerPoll: Duration = .milliseconds(500)
        /// How long a claimed incident (or SLA timer) stays with this process; another instance
        /// takes it over after that if this one died.
        public var workLease: Duration = .seconds(60)
        public var dispatcherPoll: Duration = .milliseconds(500)
        /// Examples from the classifier's history files (read by the caller; see `TrainingFiles`).
        public var trainingExamples: [TrainingExample] = []
        /// Seals raw bodies at rest (`TRIAGE_PAYLOAD_KEYS`); `nil` stores them plain.
        public var payloadCipher: PayloadCipher?

        public init() {}
    }

    public let services: [any Service]
    let receiver: WebhookReceiver
    /// The rules and vendors in force; reloads swap them here.
    public let policies: PolicyHolder

    /// Sources that accept loopback senders only because no token is set for them.
    public var unauthenticatedSources: [String] { receiver.unauthenticatedSources }

    /// - Parameter onServerRunning: Called with the bound port once the HTTP server listens.
    public init<Clock: TriageClock>(
        configuration: TriageConfiguration,
        store: any TriageStore,
        clock: Clock,
        options: Options,
        metrics: PrometheusCollectorRegistry? = nil,
        reloadFrom directory: String? = nil,
        logger: Logger,
        wakeUps: (@Sendable (WakeUpBells) -> any Service)? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        let workBell = Doorbell()
        let slaBell = Doorbell()
        let dispatchBell = Doorbell()
        let zones: @Sendable (String) -> ZoneRules? = { try? TimeZoneLoader.load($0) }
        let policies = PolicyHolder(configuration.policy)
        self.policies = policies
        let reassigner = Reassigner(policies: policies, incidents: store, store: store)
        var admin: AdminRoutes?
        var reloader: ConfigReloader?
        if let directory {
            let configReloader = ConfigReloader(
                directory: directory, policies: policies, logger: logger, audit: store, clock: clock)
            reloader = configReloader
            admin = AdminRoutes(
                environment: options.environment,
                reassigner: reassigner, outbox: store,
                sla: SLARoutes(store: store, report: SLARiskReport(store: store, zones: zones), watcherBell: slaBell),
                callbacks: VendorCallbackRoutes(
                    lifecycle: store, incidents: store, vendors: { policies.current.assigner.vendors },
                    environment: options.environment, clock: clock, watcherBell: slaBell),
                clock: clock
            ) { await configReloader.reload(trigger: "POST /admin/reload") }
            admin?.vendorAdmin = VendorAdminRoutes(store: store, vendors: { policies.current.assigner.vendors.map(\.name) })
            admin?.incidentList = IncidentListRoutes(query: store)
        }
        receiver = WebhookReceiver(
            sources: configuration.sources,
            settings: configuration.ingest,
            environment: options.environment,
            store: store,
            clock: clock,
            doorbell: workBell,
            cipher: options.payloadCipher
        )
        var services: [any Service] = []
        if options.role != .worker {
            // Write-backs and notices carry their target's name as the message's vendor already.
            let targets = configuration.vendors.map { ($0.endpoint, $0.name) }
            let source = DashboardSource(
                store: store, policies: policies, risk: SLARiskReport(store: store, zones: zones), instance: options.instanceID,
                clock: clock, targets: Dictionary(targets, uniquingKeysWith: { first, _ in first }))
            // The rules are loaded once this server exists (a refused reload keeps the old ones);
            // what can go away at run time is the store.
            let readiness = Readiness(store: store, rulesLoaded: { policies.snapshot.version >= 1 }, migrations: store, logger: logger)
            let router = TriageRouter.make(
                receiver: receiver, store: store, metrics: metrics, admin: admin, readiness: readiness.problems,
                audit: AuditMiddleware(store: store, clock: clock),
                dashboard: DashboardRoutes(snapshot: { try await source.snapshot() }))
            let app = Application(
                router: router,
                // A connection silent for 30 s is closed (idle senders, abandoned half-sent requests).
                server: .http1(configuration: .init(idleTimeout: .seconds(30))),
                configuration: .init(address: .hostname(options.host, port: options.port), serverName: "triage"),
                onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                logger: logger
            )
            services.append(app)
        }
        if options.role != .receiver {
            var intelligence: TriageIntelligence?
            if configuration.classifier.enabled || configuration.duplicates.enabled {
                let holder = ClassifierHolder()
                var finder: DuplicateFinder?
                if configuration.duplicates.enabled {
                    let duplicateFinder = DuplicateFinder(settings: configuration.duplicates)
                    finder = duplicateFinder
                    services.append(DuplicateIndexLoader(finder: duplicateFinder, store: store, clock: clock, logger: logger))
                }
                if configuration.classifier.enabled {
                    services.append(
                        ClassifierTrainer(
                            settings: configuration.classifier, store: store, holder: holder, clock: clock,
                            baseExamples: options.trainingExamples, logger: logger))
                }
                intelligence = TriageIntelligence(
                    classifier: holder, neighbours: configuration.classifier.neighbours, duplicates: finder,
                    isOpen: { id in (try? await store.incident(id))?.incident.status.isOpen ?? false })
            }
            var workerConfiguration = TriageWorker<Clock>.Configuration(owner: options.instanceID)
            workerConfiguration.idlePoll = options.workerPoll
            workerConfiguration.lease = options.workLease
            services.append(
                TriageWorker(
                    queue: store,
                    policies: policies,
                    clock: clock,
                    configuration: workerConfiguration,
                    doorbell: workBell,
                    dispatchBell: dispatchBell,
                    intelligence: intelligence,
                    vendorStats: store,
                    renderer: (try? PayloadRenderer(templates: configuration.templates)) ?? .standard,
                    writeBacks: configuration.sources.compactMap(\.writeBack),
                    slaBell: slaBell,
                    logger: logger
                )
            )
            let environment = options.environment
            // libcurl transfers block a thread each: one per delivery allowed in flight.
            let curlThreads = NIOThreadPool(numberOfThreads: configuration.delivery.maxInFlight)
            curlThreads.start()
            let notifier = CurlVendorNotifier(
                client: CurlHTTPClient(threadPool: curlThreads, maxIdleHandles: configuration.delivery.maxInFlight),
                vendors: configuration.vendors,
                writeBacks: configuration.sources.compactMap(\.writeBack),
                notify: configuration.notifyEndpoints,
                settings: configuration.delivery,
                environment: { environment[$0] },
                now: { clock.now() }
            )
            var dispatcherConfiguration = Dispatcher<Clock>.Configuration(
                owner: options.instanceID,
                retry: configuration.delivery.retry
            )
            dispatcherConfiguration.idlePoll = options.dispatcherPoll
            dispatcherConfiguration.maxAge = configuration.delivery.maxAge
            dispatcherConfiguration.maxInFlight = configuration.delivery.maxInFlight
            dispatcherConfiguration.endpointConcurrency = configuration.delivery.endpointConcurrency
            let targets = configuration.vendors.map(\.deliveryTarget) + configuration.sources.compactMap(\.writeBack?.target)
                + configuration.notifyEndpoints.map(\.target)
            for target in targets {
                if let limit = target.maxConcurrency { dispatcherConfiguration.targetConcurrency[target.name] = limit }
            }
            for vendor in configuration.vendors {
                if let fallback = vendor.fallbackEndpoint { dispatcherConfiguration.fallbacks[vendor.name] = fallback }
            }
            dispatcherConfiguration.lease = configuration.delivery.effectiveLease
            services.append(
                Dispatcher(
                    outbox: store,
                    notifier: notifier,
                    clock: clock,
                    configuration: dispatcherConfiguration,
                    doorbell: dispatchBell,
                    breakers: BreakerBoard(
                        threshold: configuration.delivery.breakerFailures,
                        cooldown: configuration.delivery.breakerCooldown.timeInterval),
                    logger: logger
                )
            )
        }
        if options.role != .receiver {
            var watcherConfiguration = SLAWatcher<Clock>.Configuration(owner: options.instanceID)
            watcherConfiguration.lease = options.workLease
            services.append(
                SLAWatcher(
                    store: store, policies: policies, notify: configuration.notifyEndpoints,
                    reassigner: reassigner, zones: zones, clock: clock,
                    configuration: watcherConfiguration, doorbell: slaBell, dispatchBell: dispatchBell,
                    logger: logger))
            // SLA attainment, breaches and times per vendor and priority over 30 days, as gauges.
            services.append(SLAReportMetrics(store: store, zones: zones, clock: clock, logger: logger))
            // retention.yaml: purges what is old enough every check_every (read at start; a reload keeps it).
            if let retention = configuration.retention, !retention.keepsEverything {
                services.append(RetentionSweeper(store: store, audit: store, policy: retention, clock: clock, logger: logger))
            }
        }
        if let reloader { services.append(ReloadOnHangup(reloader: reloader)) }
        // Queue, outbox, load and at-risk gauges, in every role (a few cheap reads every 15 s).
        services.append(
            StoreGauges(
                stats: store, vendorStats: store, risk: SLARiskReport(store: store, zones: zones),
                vendors: { policies.current.assigner.vendors.map(\.name) }, clock: clock, logger: logger))
        if options.role != .receiver, let wakeUps {
            services.append(wakeUps(WakeUpBells(work: workBell, outbox: dispatchBell, timers: slaBell)))
        }
        self.services = services
    }
}
