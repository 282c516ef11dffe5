import Foundation
import Testing
import TriageApp
import TriageCurl
import TriageHTTP
import TriageTesting

/// The store's disk fails under a running `triage serve` (SQLite) and a steady load of webhooks:
/// every answer is 503, or 2xx only for a webhook really stored (each 2xx key is looked up after);
/// the process keeps serving (`/healthz` 200) and recovers on its own once the disk can be written
/// again: new webhooks are accepted, triaged and delivered. Needs root (it mounts filesystems);
/// without root it says why, and fails when `TRIAGE_REQUIRE_ROOT=1`.
@Suite(.serialized)
struct DiskFullTests {
    struct Scale {
        var perSecond: Int
        /// Seconds the disk stays full (or read-only) under load.
        var failing: Int
        static let short = Scale(perSecond: 50, failing: 6)
        static let full = Scale(perSecond: 50, failing: 30)
        static var current: Scale { ProcessInfo.processInfo.environment["TRIAGE_RELIABILITY"] == "full" ? .full : .short }
    }

    /// A 16 MB tmpfs filled with a file until ENOSPC, then the file deleted. Not 4 MB: SQLite's
    /// write-ahead log grows to 1,000 pages (4 MB) before its first checkpoint, so a 4 MB disk is
    /// filled by the store alone and stays full whatever is deleted (a checkpoint needs room to grow
    /// the database file); 16 MB holds the log and the database, and the filler takes the rest.
    @Test func aFullDiskAnswers503LosesNothingAndRecoversWhenSpaceReturns() async throws {
        let scale = Scale.current
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        guard Self.canRun(directory) else { return }
        let mount = try DiskFullMount.tmpfs(at: directory.path("store"), size: "16m")
        defer { mount.unmount() }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ClusterConfig.write(
                in: directory.url.path, endpoint: "http://127.0.0.1:\(sinkPort)", capacity: 1_000_000)
            let path = mount.path + "/triage.sqlite"
            let run = try await DiskFullRun(config: config, store: path, perSecond: scale.perSecond)
            defer { run.kill() }
            try await Task.sleep(for: .seconds(2))

            run.load.enter("full")
            var filled = try mount.fill()
            let health = try await run.watchHealth(for: scale.failing) { filled += (try? mount.fill()) ?? 0 }
            try mount.removeFiller()
            let recovery = try await run.recover()
            let report = try await run.settle(sink: sink)

            let full = run.load.answers(in: "full")
            let refused = full.filter { $0.status == 503 }.count
            let stored = full.filter { (200..<300).contains($0.status) }.count
            #expect(full.allSatisfy { $0.status == 503 || (200..<300).contains($0.status) },
                    "answers while full: \(Dictionary(grouping: full, by: \.status).mapValues(\.count))")
            #expect(refused > 0, "no webhook was refused: the disk never filled up for SQLite (\(filled) bytes of filler)")
            #expect(health.allSatisfy { $0 == 200 }, "/healthz while full: \(health)")
            #expect(report.isEmpty, "\(report.count) problems, first: \(report.prefix(5))")
            #expect(run.serve.isRunning, "triage serve died")
            run.serve.send(SIGTERM)
            #expect(try await run.serve.waitForExit() == 0, "stderr: \(run.serve.standardError.suffix(1_000))")
            print(
                "diskfull: \(full.count) webhooks while full for \(scale.failing) s: \(refused) 503s, \(stored) 2xx "
                    + "(\(DiskFullRun.lost(report)) of all 2xx lost), \(report.count) problems, /readyz "
                    + "\(Set(run.readiness).sorted()), recovered in "
                    + "\(String(format: "%.1f", recovery)) s without a restart")
        }
    }

    /// The read-only case. A live `mount -o remount,ro` is tried first; Linux refuses it (EBUSY)
    /// while a process holds files on the filesystem open for writing, which SQLite always does. So
    /// the filesystem is made read-only the way the kernel does to a failing disk: an ext4 image
    /// mounted `errors=remount-ro` reports an error and turns read-only under the open files. That
    /// state lasts until unmounted, so recovery is a restart after `e2fsck`.
    @Test func aReadOnlyStoreAnswers503LosesNothingAndRecovers() async throws {
        let scale = Scale.current
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        guard Self.canRun(directory) else { return }
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
            let config = try ClusterConfig.write(
                in: directory.url.path, endpoint: "http://127.0.0.1:\(sinkPort)", capacity: 1_000_000)

            // Live remount of a tmpfs under the running store.
            let tmpfs = try DiskFullMount.tmpfs(at: directory.path("tmpfs"), size: "16m")
            defer { tmpfs.unmount() }
            let live = try await DiskFullRun(config: config, store: tmpfs.path + "/triage.sqlite", perSecond: scale.perSecond)
            defer { live.kill() }
            try await Task.sleep(for: .seconds(1))
            var liveOutcome: String
            do {
                try tmpfs.remount(readOnly: true)
                live.load.enter("readonly")
                _ = try await live.watchHealth(for: scale.failing) {}
                try tmpfs.remount(readOnly: false)
                let recovered = try await live.recover()
                let refused = live.load.answers(in: "readonly").filter { $0.status == 503 }.count
                liveOutcome = "remount,ro accepted: \(refused) 503s, recovered in \(String(format: "%.1f", recovered)) s"
                #expect(live.load.answers(in: "readonly").allSatisfy { $0.status == 503 || (200..<300).contains($0.status) })
            } catch let refusal as DiskFullMount.Failed {
                liveOutcome = "live remount,ro refused by the kernel (\(refusal.output.contains("busy") ? "busy: files open for writing" : refusal.output))"
            }
            let liveReport = try await live.settle(sink: sink)
            #expect(liveReport.isEmpty, "\(liveReport.count) problems, first: \(liveReport.prefix(5))")
            live.kill()

            // Emergency read-only: ext4 errors=remount-ro.
            let ext4: DiskFullMount
            do {
                ext4 = try DiskFullMount.ext4(at: directory.path("ext4"), image: directory.path("store.img"), megabytes: 32)
            } catch {
                Self.cannotRun("read-only: no ext4 loop mount here: \(error)")
                return
            }
            var mounted = ext4
            defer { mounted.unmount() }
            let path = ext4.path + "/triage.sqlite"
            let first = try await DiskFullRun(config: config, store: path, perSecond: scale.perSecond)
            defer { first.kill() }
            try await Task.sleep(for: .seconds(2))
            first.load.enter("readonly")
            try ext4.failReadOnly()
            let health = try await first.watchHealth(for: scale.failing) {}
            let answers = first.load.answers(in: "readonly")
            let refused = answers.filter { $0.status == 503 }.count
            #expect(answers.allSatisfy { $0.status == 503 || (200..<300).contains($0.status) },
                    "answers while read-only: \(Dictionary(grouping: answers, by: \.status).mapValues(\.count))")
            #expect(refused > 0, "no webhook was refused while the store was read-only")
            #expect(health.allSatisfy { $0 == 200 }, "/healthz while read-only: \(health)")
            #expect(first.serve.isRunning, "triage serve died on a read-only store")
            first.load.stop()
            first.serve.send(SIGTERM)
            let status = try await first.serve.waitForExit()

            // Repaired and restarted: what was accepted before is there, new webhooks go through.
            mounted = try ext4.repairAndMount()
            let restartedAt = ContinuousClock.now
            let second = try await DiskFullRun(
                config: config, store: path, perSecond: scale.perSecond, firstKey: 1_000_000, previous: first.load)
            defer { second.kill() }
            let recovered = try await second.recover()
            let report = try await second.settle(sink: sink)
            #expect(report.isEmpty, "\(report.count) problems, first: \(report.prefix(5))")
            let restart = restartedAt.duration(to: .now)
            print(
                "diskfull: read-only: \(liveOutcome); emergency read-only (ext4 errors=remount-ro): \(answers.count) "
                    + "webhooks while read-only for \(scale.failing) s: \(refused) 503s, "
                    + "\(answers.count - refused) 2xx, /healthz \(Set(health).sorted()), SIGTERM exit \(status); after e2fsck "
                    + "and a restart accepting again in \(String(format: "%.1f", recovered)) s "
                    + "(\(restart.components.seconds) s to all delivered), \(DiskFullRun.lost(report)) of all 2xx lost, "
                    + "\(report.count) problems")
        }
    }

    /// Whether the tests can mount here; prints why not, and records a failure when root is required.
    static func canRun(_ directory: TemporaryDirectory) -> Bool {
        guard let reason = DiskFullMount.unavailableReason(probe: directory.url.path) else { return true }
        cannotRun(reason)
        return false
    }

    static func cannotRun(_ reason: String) {
        print("diskfull: cannot run: \(reason)")
        if ProcessInfo.processInfo.environment["TRIAGE_REQUIRE_ROOT"] == "1" {
            Issue.record("TRIAGE_REQUIRE_ROOT=1 but the disk-full tests cannot run: \(reason)")
        }
    }
}
