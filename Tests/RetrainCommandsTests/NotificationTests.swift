import Foundation
import RetrainTestSupport
import Testing

/// Notifications for real: `msmtp` (a sendmail-compatible client) delivering to an SMTP sink
/// (Debian's python3-aiosmtpd, writing a Maildir), and a webhook receiver on loopback. `make
/// test-deps` installs both.
@Suite(.serialized) struct NotificationTests {
    /// A background process, stopped with the test.
    final class Server {
        let process = Process()
        let port: Int

        init(_ program: String, _ arguments: [String], port: Int? = nil) throws {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            if let port {
                self.port = port
            } else {
                // The receiver prints the port it got.
                var line = Data()
                while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
                self.port = Int(String(decoding: line, as: UTF8.self)) ?? 0
            }
            let deadline = Date().addingTimeInterval(10)
            while !Server.listening(self.port), Date() < deadline { usleep(50_000) }
        }

        static func listening(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }

        /// SIGKILL: a child may inherit a mask that blocks SIGTERM from the test runner's thread.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    /// A free loopback port for the SMTP sink (aiosmtpd takes its port on the command line).
    static func freePort() -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000...60_000)
            if !Server.listening(port) { return port }
        }
        return 25_025
    }

    func smtpSink(_ maildir: URL, port: Int) throws -> Server {
        try Server(
            "/usr/bin/python3", ["-u", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path], port: port
        )
    }

    /// The messages the sink received, oldest first.
    func mails(_ maildir: URL) throws -> [String] {
        let folder = maildir.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let files = try names.map { folder.appendingPathComponent($0) }
            .map { ($0, try FileManager.default.attributesOfItem(atPath: $0.path)[.modificationDate] as? Date ?? .distantPast) }
        return try files.sorted { $0.1 < $1.1 }.map { try String(contentsOf: $0.0, encoding: .utf8) }
    }

    func hooks(_ folder: URL) throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted { Int($0.dropLast(5))! < Int($1.dropLast(5))! }
        return try names.map { try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent($0))) as! [String: Any] }
    }

    func requireTools() throws {
        for tool in ["/usr/bin/msmtp", "/usr/bin/python3"] where !FileManager.default.isExecutableFile(atPath: tool) {
            Issue.record("\(tool) is missing: `make test-deps` installs msmtp and python3-aiosmtpd")
            throw CancellationError()
        }
    }

    @Test func aFailingScheduleEmailsOncePerFailedSlotAndRetriesAMailerThatIsDown() throws {
        try requireTools()
        let root = try scratchRepository()
        let maildir = root.appendingPathComponent("maildir")
        let hookDir = root.appendingPathComponent("hooks")
        try FileManager.default.createDirectory(at: hookDir, withIntermediateDirectories: true)
        let port = Self.freePort()
        var sink = try smtpSink(maildir, port: port)
        let receiver = try Server("/usr/bin/python3", [repositoryRoot.appendingPathComponent("Tests/Support/webhook_sink.py").path, hookDir.path])
        defer {
            sink.stop()
            receiver.stop()
        }

        try """
        email:
          sendmail: [msmtp, -t, --host=127.0.0.1, --port=\(port), --from=retrain@localhost]
          from: retrain@localhost
        """.write(to: root.appendingPathComponent("retrain.yaml"), atomically: false, encoding: .utf8)
        func schedule(_ command: String) -> String {
            """
            model: quick
            start: 2026-11-25 10:00
            repeat: daily
            command: \(command)
            notify:
              email: ["${TEAM_MAIL}"]
              on: [failed, recovered]
              webhook: "${HOOK_URL}"
            """
        }
        let file = root.appendingPathComponent("schedules/quick.yaml")
        try schedule("[sh, -c, 'echo broken data >&2; exit 3']").write(to: file, atomically: false, encoding: .utf8)
        let secrets = ["TEAM_MAIL": "ml-team@example.com", "HOOK_URL": "http://127.0.0.1:\(receiver.port)/hooks/s3cr3t-token"]
        func pass(_ now: String) throws -> Run {
            try retrain(["reconcile", "--wait", "--now", now], in: root, environment: secrets)
        }

        let first = try pass("2026-11-25T10:05:00Z")
        #expect(first.status == 1)  // the run failed
        #expect(first.stderr.contains("notified failed (quick@20261125T100000Z) of quick by email to 1 recipient and webhook"), "\(first.stderr)")
        var inbox = try mails(maildir)
        try #require(inbox.count == 1)
        #expect(inbox[0].contains("Subject: [retrain] quick: run failed"))
        // RFC 5322's Date: (the pass's time, from --now) and a Message-ID of retrain's own, not msmtp's.
        #expect(inbox[0].contains("\nDate: Wed, 25 Nov 2026 10:0"), "\(inbox[0])")
        #expect(inbox[0].contains("\nMessage-ID: <quick-20261125T100000Z.failed.1@"), "\(inbox[0])")
        #expect(inbox[0].contains("To: ml-team@example.com"))
        #expect(inbox[0].contains("Run:      quick@20261125T100000Z"))
        #expect(inbox[0].contains("Reason:   exit 3"))
        #expect(inbox[0].contains("X-RcptTo: ml-team@example.com"))
        let hook = try hooks(hookDir)
        try #require(hook.count == 1)
        #expect(hook[0]["path"] as? String == "/hooks/s3cr3t-token" && hook[0]["content_type"] as? String == "application/json")
        let body = try #require(hook[0]["body"] as? [String: Any])
        #expect(
            body["event"] as? String == "failed" && body["run_id"] as? String == "quick@20261125T100000Z" && body["schedule"] as? String == "quick")

        // Another pass in the same slot sends nothing again.
        let again = try pass("2026-11-25T10:20:00Z")
        #expect(!again.stderr.contains("notified"))
        #expect(try mails(maildir).count == 1 && hooks(hookDir).count == 1)

        // The next slot fails too: one more email. Then the mailer and the webhook are down: the
        // failure is logged, the notice stays queued, and the pass still records the run.
        _ = try pass("2026-11-26T10:05:00Z")
        #expect(try mails(maildir).count == 2)
        sink.stop()
        try Data().write(to: hookDir.appendingPathComponent("fail"))
        let down = try pass("2026-11-27T10:05:00Z")
        #expect(down.stderr.contains("warning: could not email the failed notice of quick: msmtp exited with status 75"), "\(down.stderr)")
        #expect(
            down.stderr.contains("warning: could not call the webhook for the failed notice of quick: curl exited with status 22"), "\(down.stderr)")
        let state = try String(contentsOf: root.appendingPathComponent(".retrain/state.json"), encoding: .utf8)
        #expect(state.contains("\"outbox\"") && state.contains("quick@20261127T100000Z"))
        let show = try retrain(["show", "quick", "--now", "2026-11-27T10:06:00Z"], in: root)
        #expect(show.stdout.contains("to notify  failed (quick@20261127T100000Z), 1 attempt; last error: "), "\(show.stdout)")

        // Back up: the next pass delivers what waited, once.
        sink = try smtpSink(maildir, port: port)
        try FileManager.default.removeItem(at: hookDir.appendingPathComponent("fail"))
        let back = try pass("2026-11-27T10:30:00Z")
        #expect(back.stderr.contains("notified failed (quick@20261127T100000Z) of quick by email to 1 recipient and webhook"), "\(back.stderr)")
        inbox = try mails(maildir)
        #expect(inbox.count == 3 && inbox[2].contains("quick@20261127T100000Z"))
        #expect(try hooks(hookDir).count == 3)
        #expect(try !String(contentsOf: root.appendingPathComponent(".retrain/state.json"), encoding: .utf8).contains("\"outbox\""))

        // Fixed: the next run completes and sends "recovered".
        try schedule(#"[sh, -c, 'echo "{\"auc\": 0.9}" > "$RETRAIN_METRICS"']"#).write(to: file, atomically: false, encoding: .utf8)
        let fixed = try pass("2026-11-28T10:05:00Z")
        #expect(fixed.status == 0, "\(fixed.stderr)")
        inbox = try mails(maildir)
        #expect(inbox.count == 4 && inbox[3].contains("Subject: [retrain] quick: recovered, new model promoted"))

        // The secrets were never written: not in state, ledgers, outbox, reports, logs or output.
        var written = ""
        for folder in [".retrain", "reports"] {
            let files = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path)!.compactMap { $0 as? String }
            for path in files where !path.hasSuffix("/") {
                written += (try? String(contentsOf: root.appendingPathComponent(folder + "/" + path), encoding: .utf8)) ?? ""
            }
        }
        #expect(written.contains("quick@20261127T100000Z"))  // what was read is really there
        for run in [first, again, down, back, fixed] { written += run.stdout + run.stderr }
        #expect(!written.contains("s3cr3t-token") && !written.contains("ml-team@example.com"))
    }

    @Test func aMissingVariableIsNamedAndTheNoticeWaits() throws {
        try requireTools()
        let root = try scratchRepository()
        try """
        email: {sendmail: [msmtp, -t, --host=127.0.0.1, --port=9, --from=retrain@localhost]}
        """.write(to: root.appendingPathComponent("retrain.yaml"), atomically: false, encoding: .utf8)
        try """
        model: quick
        start: 2026-11-25 10:00
        repeat: daily
        command: [sh, -c, 'exit 1']
        notify: {email: ["${NOT_SET_ANYWHERE}"]}
        """.write(to: root.appendingPathComponent("schedules/quick.yaml"), atomically: false, encoding: .utf8)
        let run = try retrain(["reconcile", "--wait", "--now", "2026-11-25T10:05:00Z"], in: root)
        #expect(
            run.stderr.contains(
                "could not email the failed notice of quick: notify.email refers to ${NOT_SET_ANYWHERE}, which is not set in the environment"),
            "\(run.stderr)")
        #expect(try String(contentsOf: root.appendingPathComponent(".retrain/state.json"), encoding: .utf8).contains("\"outbox\""))
    }
}
