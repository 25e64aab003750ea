import Foundation
import RetrainTestSupport
import Testing

@testable import RetrainCore

/// Notices: queued once per event, secrets expanded only in memory, headers never injected.
@Suite struct NotifierTests {
    @Test func aStaleScheduleIsNoticedOncePerPeriodWithoutAPromotion() throws {
        let s = ReportFixture.spec(
            "s", "model: m\ncommand: [sh, x.sh]\nstart: 2026-11-01 00:00\nrepeat: daily\nnotify: {email: [a@example.com], stale_after: 10d}\n")
        var entry = ScheduleState(specHash: s.specHash, timingHash: s.timingHash, anchor: "2026-11-01T00:00:00Z")
        let day = { (d: Int) in Instant.parse("2026-11-01T00:00:00Z")!.adding(Int64(d) * 86_400) }
        // As the reconciler does: a notice records the promotion (or first sight) it was for.
        func stale(at now: Instant) -> Notice? {
            let notice = NoticeBook.stale(entry, schedule: "s", spec: s, notify: s.notify, reports: "reports", now: now)
            if notice != nil { entry.staleNoticeFor = entry.lastPromotion }
            return notice
        }
        #expect(stale(at: day(9)) == nil)
        let first = try #require(stale(at: day(11)))
        #expect(first.subject == "[retrain] s: no model promoted for 11 days" && first.email == ["a@example.com"])
        #expect(stale(at: day(20)) == nil)
        // A promotion starts a new period.
        entry.champion = RunPointer(RunRecord(id: "s@x", slot: day(21), status: .completed, attempt: 1, finishedAt: day(21)))
        #expect(stale(at: day(30)) == nil)
        #expect(stale(at: day(32)) != nil)
    }

    @Test func environmentReferencesAreExpandedOnlyInMemoryAndRedacted() throws {
        var secrets: [String] = []
        let env: (String) -> String? = { $0 == "TOKEN" ? "abc123" : nil }
        #expect(try Notifier.expand("https://h/x/${TOKEN}", environment: env, secrets: &secrets).get() == "https://h/x/abc123")
        #expect(secrets == ["abc123"])
        #expect(Notifier.redact("curl: bad https://h/x/abc123", secrets) == "curl: bad https://h/x/[secret]")
        guard case .failure(let missing) = Notifier.expand("${NOPE}", environment: env, secrets: &secrets) else {
            Issue.record("expanded")
            return
        }
        #expect(missing.description == "${NOPE}")
        #expect(Notifier.encodedHeader("plain") == "plain" && Notifier.encodedHeader("café") == "=?UTF-8?B?Y2Fmw6k=?=")
        // Every part of a secret URL a tool may print on its own is redacted, not only the whole.
        var hook: [String] = []
        let hookEnv: (String) -> String? = {
            $0 == "HOOK" ? "https://bot:pa55word@tok-9f3k2.hooks.example.com:8443/services/T0/xyzsecret?sig=s1gn4ture#frag" : nil
        }
        _ = Notifier.expand("${HOOK}", environment: hookEnv, secrets: &hook)
        #expect(
            Notifier.redact("curl: (6) Could not resolve host: tok-9f3k2.hooks.example.com", hook) == "curl: (6) Could not resolve host: [secret]")
        #expect(
            Notifier.redact("401 for bot at /services/T0/xyzsecret (sig s1gn4ture), pa55word", hook)
                == "401 for [secret] at [secret] (sig [secret]), [secret]")
        #expect(
            Notifier.redact("POST https://bot:pa55word@tok-9f3k2.hooks.example.com:8443/services/T0/xyzsecret?sig=s1gn4ture#frag failed", hook)
                == "POST [secret] failed")
    }

    /// `email.from` goes into a header: a variable holding a line break must not add headers.
    @Test func aSenderThatWouldAddHeadersIsRefusedAndNothingIsSent() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("retrain-mail-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let notice = Notice(
            key: "s@x.failed", schedule: "s", event: .failed, runID: "s@x", at: "2026-11-25T00:00:00Z", subject: "s failed", text: "it failed",
            details: .object([]), email: ["team@example.com"], webhook: nil)
        func send(from value: String) async -> (Result<Int, Why>, String?) {
            let out = folder + "/message-\(UUID().uuidString)"
            var notifier = Notifier(
                sendmail: ["/bin/sh", "-c", "cat > '\(out)'"], from: "${MAIL_FROM}", environment: { $0 == "MAIL_FROM" ? value : nil })
            notifier.now = "2026-12-06T07:40:05Z"
            notifier.host = "ml-box.example.com"
            let result = await notifier.mail(notice, schedule: "s")
            return (result, try? String(contentsOfFile: out, encoding: .utf8))
        }
        let (refused, nothing) = await send(from: "ops@example.com\nBcc: someone@elsewhere.example")
        guard case .failure(let why) = refused else {
            Issue.record("sent: \(refused)")
            return
        }
        #expect(why.description == "email.from gives '[secret]', which is not an email address; nothing was sent")
        #expect(nothing == nil)
        let (sent, message) = await send(from: "ops@example.com")
        #expect((try? sent.get()) == 1)
        #expect(
            message?.hasPrefix(
                "From: retrain <ops@example.com>\nTo: team@example.com\nSubject: s failed\nDate: Sun, 06 Dec 2026 07:40:05 +0000\nMessage-ID: <s-x.failed.1@ml-box.example.com>\n"
            ) == true, "\(message ?? "")")
        #expect(message?.contains("Bcc") == false)
    }
}
