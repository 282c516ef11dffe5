/// One value of a stored row, as `triage migrate` carries it from one store to another.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A batch of rows of one table, with its column names.
public struct TableRows: Sendable, Equatable {
    public var table: String
    public var columns: [String]
    public var rows: [[StoredValue]]

    public init(table: String, columns: [String], rows: [[StoredValue]]) {
        self.table = table
        self.columns = columns
        self.rows = rows
    }

    /// Every table both stores keep, parents before the tables that refer to them.
    public static let tables = [
        "rawPayload", "incident", "workItem", "decision", "outboxMessage", "deliveryAttempt", "slaClock", "slaTimer",
        "slaClockHistory", "slaArchive", "incidentEvent", "rejectedPayload", "webhookDelivery", "model", "vendorLoad", "vendorDaily",
        "vendorAffinity", "callbackEvent", "vendorSwitch", "auditEvent",
    ]
}
