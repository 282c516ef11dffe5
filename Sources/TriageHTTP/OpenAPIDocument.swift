/// The OpenAPI 3.1 document of the whole HTTP API, as `GET /openapi.json` serves it: the text of
/// `Sources/TriageHTTP/openapi.json`, compiled into the binary by SwiftPM (`.embedInCode`), so the
/// served document is always the one in the repository.
public enum OpenAPIDocument {
    /// The document's JSON text (UTF-8, pretty-printed, as written in the file).
    public static let json = String(decoding: PackageResources.openapi_json, as: UTF8.self)
}
