import Foundation
import TriageCore
import Yams

/// The endpoint options a vendor and a write-back share:
///
/// ```yaml
/// headers_env: {Authorization: ACME_AUTH_HEADER}   # header → environment variable name
/// signing_secret_env: ACME_SIGNING_SECRET
/// ca_bundle: /etc/triage/acme-ca.pem               # verify the endpoint with this CA (PEM)
/// max_concurrency: 8                               # deliveries in flight at once
/// ```
enum DeliveryTargetSection {
    static let keys: Set<String> = ["headers_env", "signing_secret_env", "ca_bundle", "max_concurrency"]

    static func read(_ map: Node.Mapping, name: String, what: String, file: YAMLFile) -> DeliveryTarget {
        var target = DeliveryTarget(name: name)
        if let headersNode = map["headers_env"] {
            // Any header name is allowed, so the pairs are read directly rather than checked against keys.
            if let headers = headersNode.mapping {
                for (key, value) in headers {
                    guard let header = key.string, let env = file.string(value, "headers_env.\(header)") else { continue }
                    if header.unicodeScalars.contains(where: { $0 == ":" || $0 == "\r" || $0 == "\n" || $0 == " " }) || header.isEmpty {
                        file.fail(key, "\(what): '\(header)' is not a valid header name")
                    } else {
                        target.headerEnv[header] = env
                    }
                }
            } else {
                file.fail(headersNode, "headers_env must map header names to environment variable names")
            }
        }
        target.signingSecretEnv = file.string(map["signing_secret_env"], "signing_secret_env")
        if let path = file.string(map["ca_bundle"], "\(what) ca_bundle") {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || isDirectory.boolValue {
                file.fail(map["ca_bundle"], "\(what): ca_bundle '\(path)' is not a readable file")
            } else if !FileManager.default.isReadableFile(atPath: path) {
                file.fail(map["ca_bundle"], "\(what): ca_bundle '\(path)' is not readable")
            } else {
                target.caBundle = path
            }
        }
        if let limit = file.int(map["max_concurrency"], "\(what) max_concurrency") {
            if (1...1024).contains(limit) { target.maxConcurrency = limit } else {
                file.fail(map["max_concurrency"], "\(what): max_concurrency must be between 1 and 1024")
            }
        }
        return target
    }
}
