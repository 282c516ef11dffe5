import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A free loopback port for the service to keep across restarts, so senders keep one URL.
///
/// It is chosen below the kernel's ephemeral range: while the service is down between a kill and
/// its restart, the senders' and the dispatcher's outgoing connections take ephemeral ports, and
/// one of them could otherwise take the port the restart needs.
enum CrashPort {
    /// A port that could be bound on 127.0.0.1 just now, below the ephemeral range when possible.
    static func free() throws -> Int {
        let ephemeralLow = ephemeralRange()?.lowerBound ?? 32_768
        let low = 20_000
        if ephemeralLow > low + 100 {
            for _ in 0..<200 {
                let candidate = Int.random(in: low..<ephemeralLow)
                if let port = tryBind(candidate) { return port }
            }
        }
        guard let port = tryBind(0) else { throw CrashSetupError("no free port on 127.0.0.1: \(String(cString: strerror(errno)))") }
        return port
    }

    /// `/proc/sys/net/ipv4/ip_local_port_range` on Linux; `nil` elsewhere.
    static func ephemeralRange() -> ClosedRange<Int>? {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8) else {
            return nil
        }
        let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else { return nil }
        return numbers[0]...numbers[1]
    }

    /// Binds a TCP socket to 127.0.0.1:`port` (0: any), closes it and returns the port bound.
    static func tryBind(_ port: Int) -> Int? {
        #if os(Linux)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { return nil }
        var actual = sockaddr_in()
        var actualLength = length
        let named = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: actual.sin_port))
    }
}
