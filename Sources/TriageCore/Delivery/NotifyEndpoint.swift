/// A named place escalation notices go (a manager's webhook, the internal on-call's pager
/// endpoint, a chat channel), with its own delivery options.
///
/// ```yaml
/// notify:
///   duty-manager: {url: https://hooks.example.com/duty, headers_env: {Authorization: DUTY_AUTH}}
/// ```
public struct NotifyEndpoint: Sendable, Equatable {
    public var name: String
    public var url: String
    /// Its delivery options; the target's name is `notify:<name>`.
    public var target: DeliveryTarget

    public init(name: String, url: String, target: DeliveryTarget? = nil) {
        self.name = name
        self.url = url
        self.target = target ?? DeliveryTarget(name: Self.targetName(name))
        self.target.name = Self.targetName(name)
    }

    public static func targetName(_ name: String) -> String { "notify:\(name)" }
}
