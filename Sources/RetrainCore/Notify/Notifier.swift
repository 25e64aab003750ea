import FoundationEssentials
import Glibc
import Subprocess
import SystemPackage

/// Delivers queued notices: email through a sendmail-compatible command (the message on its standard
/// input, recipients in its headers, as `sendmail -t` reads them), and the webhook as a JSON POST
/// through curl (given its URL and body on standard input, so neither shows in the process list).
/// `${ENV}` references are expanded only here, in memory, and their values are blanked out of
/// anything logged.
public struct Notifier: Sendable {
    /// The mail command's argv (`${ENV}` references allowed).
    public var sendmail: [String]
    /// The From: address (or a reference).
    public var from: String
    /// The environment references are read from.
    public var environment: @Sendable (String) -> String?
    /// Most seconds one delivery may take before it is stopped and counted as failed.
    public var timeoutSeconds: Double = 30
    /// The curl program.
    public var curl = "curl"
    /// When the messages are sent: their `Date:` header (the caller's `now`, never read here).
    public var now: Instant = Instant(seconds: 0)
    /// This machine's name, for `Message-ID:`.
    public var host = Host.name

    public init(sendmail: [String], from: String, environment: @escaping @Sendable (String) -> String?) {
        self.sendmail = sendmail
        self.from = from
        self.environment = environment
    }

    /// What delivery did, for the log.
    public struct Report: Sendable {
        /// One line per notice delivered.
        public var sent: [String] = []
        /// One line per failed attempt.
        public var failed: [String] = []
    }

    /// Delivers every notice `state.outbox` names, oldest first, and removes what every channel took.
    /// A failed channel keeps the notice queued with its error; after one failure a channel is not
    /// tried again in this call (a mailer that is down is not asked a hundred times). Runs under the
    /// state lock: files the state does not name are swept.
    public func deliver(_ state: inout StateFile, outbox: Outbox) async -> Report {
        var report = Report()
        var mailDown: String?
        var hooksDown: [String: String] = [:]
        var left: [String] = []
        for key in state.outbox {
            guard var notice = outbox.read(key) else {
                report.failed.append("the queued notice \(key) is missing from \(outbox.folder) (removed by hand?); it is dropped")
                continue
            }
            let id = notice.schedule
            var channels: [String] = []
            var attempted = false
            if !notice.email.isEmpty {
                if let down = mailDown {
                    notice.lastError = down
                } else {
                    attempted = true
                    switch await mail(notice, schedule: id) {
                    case .success(let count):
                        channels.append("email to \(count) recipient\(count == 1 ? "" : "s")")
                        notice.email = []
                    case .failure(let why):
                        notice.lastError = why.description
                        mailDown = why.description
                        report.failed.append(
                            "could not email the \(notice.event.rawValue) notice of \(id): \(why); it stays queued for the next pass")
                    }
                }
            }
            if let hook = notice.webhook {
                if let down = hooksDown[hook] {
                    notice.lastError = down
                } else {
                    attempted = true
                    switch await post(notice, schedule: id, to: hook) {
                    case .success:
                        channels.append("webhook")
                        notice.webhook = nil
                    case .failure(let why):
                        notice.lastError = why.description
                        hooksDown[hook] = why.description
                        report.failed.append(
                            "could not call the webhook for the \(notice.event.rawValue) notice of \(id): \(why); it stays queued for the next pass")
                    }
                }
            }
            if attempted { notice.tries += 1 }
            if !channels.isEmpty {
                report.sent.append(
                    "notified \(notice.event.rawValue)\(notice.runID.map { " (\($0))" } ?? "") of \(id) by \(channels.joined(separator: " and "))")
            }
            if !notice.delivered {
                left.append(key)
                outbox.update(notice)
            }
        }
        state.outbox = left
        outbox.sweep(keeping: Set(left))
        return report
    }

    /// Under the state lock: delivers what is queued in `store` and records what went. Throws only
    /// when the state cannot be read, locked or written.
    public func deliverQueued(store: StateStore, now: Instant, waitSeconds: Double = 300, warn: (String) -> Void) async throws -> Report {
        // Only the outbox is read: no schedule's entry is decoded.
        try await store.updateAsync(operation: "notify", now: now, only: [], waitSeconds: waitSeconds, warn: warn) { change in
            await deliver(&change.state, outbox: store.outbox)
        }
    }

    /// The notices waiting for `schedule` (for `show`), oldest first.
    public static func queued(for schedule: String, state: StateFile, outbox: Outbox) -> [Notice] {
        let prefix = schedule + "@"
        return state.outbox.lazy.filter { $0.hasPrefix(prefix) }.compactMap(outbox.read).filter { $0.schedule == schedule }
    }

    // MARK: Email

    /// Sends the notice's mail; the number of recipients, or why not.
    func mail(_ notice: Notice, schedule: String) async -> Result<Int, Why> {
        var secrets: [String] = []
        func expanded(_ text: String, what: String) -> Result<String, Why> {
            Self.expand(text, environment: environment, secrets: &secrets).mapError {
                Why("\(what) refers to \($0), which is not set in the environment")
            }
        }
        var recipients: [String] = []
        for address in notice.email {
            switch expanded(address, what: "notify.email") {
            case .failure(let why): return .failure(why)
            case .success(let a):
                // Many addresses in one variable are allowed, separated by commas.
                for one in a.split(separator: ",").map({ String($0).trimmed }) where !one.isEmpty {
                    guard Self.isAddress(one) else {
                        return .failure(Why(Self.printable(Self.redact("notify.email gives '\(one)', which is not an email address", secrets))))
                    }
                    recipients.append(one)
                }
            }
        }
        guard !recipients.isEmpty else { return .failure(Why("notify.email gives no address")) }
        let sender: String
        switch expanded(from, what: "email.from") {
        case .failure(let why): return .failure(why)
        case .success(let s):
            // It goes into the From: header: checked as every recipient is, after expansion, so a
            // variable holding a line break cannot add headers (Bcc:) of its own.
            guard Self.isAddress(s) else {
                return .failure(Why(Self.printable(Self.redact("email.from gives '\(s)', which is not an email address; nothing was sent", secrets))))
            }
            sender = s
        }
        var argv: [String] = []
        for argument in sendmail {
            switch expanded(argument, what: "email.sendmail") {
            case .failure(let why): return .failure(why)
            case .success(let a): argv.append(a)
            }
        }
        let message = Self.message(notice, schedule: schedule, from: sender, to: recipients, date: now, host: host)
        return await Self.execute(argv, input: Array(message.utf8), timeout: timeoutSeconds)
            .map { _ in recipients.count }
            .mapError { Why(Self.redact($0.description, secrets)) }
    }

    /// Whether an expanded value is one email address (no reference left, no line break).
    static func isAddress(_ value: String) -> Bool {
        ScheduleDecoder.isEmailOrReference(value) && !value.hasPrefix("${")
    }

    /// `text` with control characters shown as escapes (`\n`), for an error message (after
    /// redaction: a secret is matched as it is).
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F { out += scalar.escaped(asASCII: true) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// An RFC 5322 message: headers (the subject encoded when it is not ASCII), a blank line, the text.
    /// `Date:` is when it is sent; `Message-ID:` is the notice's key (one per run and event: the
    /// notice is sent at most once) with the number of tries, at this host.
    static func message(_ notice: Notice, schedule: String, from: String, to: [String], date: Instant, host: String) -> String {
        var out = "From: retrain <\(from)>\nTo: \(to.joined(separator: ", "))\nSubject: \(encodedHeader(notice.subject))\n"
        out += "Date: \(rfc5322(date))\nMessage-ID: <\(messageID(notice, host: host))>\n"
        out += "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"
        out += "X-Retrain-Event: \(notice.event)\nX-Retrain-Schedule: \(schedule)\n"
        if let run = notice.runID { out += "X-Retrain-Run: \(run)\n" }
        return out + "\n" + notice.text
    }

    /// `Sun, 06 Dec 2026 07:40:00 +0000`.
    static func rfc5322(_ instant: Instant) -> String {
        let t = instant.utc
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = days[Int(((instant.seconds / 86_400) % 7 + 7) % 7)]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(t.day)) \(months[t.month - 1]) \(t.year) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) +0000"
    }

    /// `<key.tries@host>` in the characters a Message-ID's dot-atom allows.
    static func messageID(_ notice: Notice, host: String) -> String {
        func atom(_ text: String) -> String {
            String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-/=?^_`{|}~.".contains($0)) ? $0 : "-" })
        }
        let hostPart = atom(host).trimmingPrefix { $0 == "." }
        return "\(atom(notice.key)).\(notice.tries + 1)@\(hostPart.isEmpty ? "localhost" : String(hostPart))"
    }

    /// ASCII as is; anything else as an RFC 2047 encoded word.
    static func encodedHeader(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        return "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + "?="
    }

    // MARK: Webhook

    /// POSTs the notice's details as JSON.
    func post(_ notice: Notice, schedule: String, to hook: String) async -> Result<Void, Why> {
        var secrets: [String] = []
        let url: String
        switch Self.expand(hook, environment: environment, secrets: &secrets) {
        case .failure(let name): return .failure(Why("notify.webhook refers to \(name), which is not set in the environment"))
        case .success(let u): url = u
        }
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            return .failure(Why(Self.redact("notify.webhook gives '\(url)', which is not an http(s) URL", secrets)))
        }
        guard case .object(var members) = notice.details else { return .failure(Why("the notice has no details")) }
        members.append(.init("at", .string(notice.at.description)))
        members.append(.init("summary", .string(notice.subject)))
        members.append(.init("text", .string(notice.text)))
        let body = JSONValue.object(members).compact
        // curl's configuration on standard input: quoted strings escape \ and ".
        func quoted(_ s: String) -> String { "\"" + s.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\"" }
        let config = """
            url = \(quoted(url))
            request = "POST"
            header = "Content-Type: application/json"
            header = "User-Agent: retrain/\(RetrainVersion.current)"
            data-binary = \(quoted(body))
            max-time = \(Int(timeoutSeconds))
            proto = "=http,https"
            silent
            show-error
            fail-with-body

            """
        return await Self.execute([curl, "--config", "-"], input: Array(config.utf8), timeout: timeoutSeconds + 5)
            .mapError { Why(Self.redact($0.description, secrets)) }
    }

    // MARK: Running a command

    /// Runs `argv` with `input` on its standard input; fails with its exit status and first line of
    /// error output (or output), or when it outlives `timeout` (its whole process group is stopped).
    static func execute(_ argv: [String], input: [UInt8], timeout: Double) async -> Result<Void, Why> {
        guard let program = argv.first else { return .failure(Why("the command is empty")) }
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        let platform = options
        let executable = Executable.resolving(program)
        // The input is handed over as a file in memory, not written down a pipe: a command that exits
        // without reading it (a mailer that refuses at once) then cannot break the write, and the
        // input (a webhook URL with its secret) never touches the disk.
        guard let inputFD = memoryFile(input) else {
            return .failure(Why("cannot hold the input for \(program): \(String(cString: strerror(errno)))"))
        }
        let outcome = await withTaskGroup(of: Result<Void, Why>?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        executable, arguments: Arguments(Array(argv.dropFirst())), platformOptions: platform,
                        input: .fileDescriptor(FileDescriptor(rawValue: inputFD), closeAfterSpawningProcess: true),
                        output: .string(limit: 64 << 10), error: .string(limit: 64 << 10))
                    if case .exited(0) = result.terminationStatus { return .success(()) }
                    let said =
                        [result.standardError, result.standardOutput].lazy
                        .compactMap { $0.split(separator: "\n").first.map(String.init) }.first ?? ""
                    let status: String
                    switch result.terminationStatus {
                    case .exited(let code): status = "exited with status \(code)"
                    case .signaled(let signal): status = "was stopped by signal \(signal)"
                    }
                    return .failure(Why("\(program) \(status)" + (said.isEmpty ? "" : ": \(said)")))
                } catch {
                    return .failure(Why("cannot run \(program): \(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = await group.next()!
            group.cancelAll()
            if let first { return first }
            _ = await group.next()
            return .failure(Why("\(program) took longer than \(Int(timeout)) s and was stopped"))
        }
        return outcome
    }

    /// An anonymous file in memory holding `bytes`, positioned at its start (memfd_create(2)).
    static func memoryFile(_ bytes: [UInt8]) -> Int32? {
        let fd = memfdCreate("retrain-input", UInt32(1))  // MFD_CLOEXEC
        guard fd >= 0 else { return nil }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                close(fd)
                return nil
            }
            written += n
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    // MARK: Secrets

    /// `text` with every `${NAME}` replaced by the variable's value (recorded in `secrets`), or the
    /// first reference that is not set.
    static func expand(_ text: String, environment: (String) -> String?, secrets: inout [String]) -> Result<String, Why> {
        guard text.contains("${") else { return .success(text) }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                rest = ""
                break
            }
            let name = String(rest[open.upperBound..<close])
            guard let value = environment(name) else { return .failure(Why("${\(name)}")) }
            if !value.isEmpty { secrets += secretParts(of: value) }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        return .success(out + rest)
    }

    /// A secret value and, when it is a URL, each part of it a tool may print on its own (curl
    /// names the host it cannot resolve): the user and password, the host, the path and each of its
    /// segments, the query and each parameter's value, the fragment.
    static func secretParts(of value: String) -> [String] {
        guard let scheme = value.range(of: "://") else { return [value] }
        var parts = [value]
        var rest = Substring(value[scheme.upperBound...])
        if let hash = rest.firstIndex(of: "#") {
            parts.append(String(rest[rest.index(after: hash)...]))
            rest = rest[..<hash]
        }
        if let question = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: question)...]
            parts.append(String(query))
            for parameter in query.split(separator: "&") {
                parts.append(String(parameter))
                if let equals = parameter.firstIndex(of: "=") { parts.append(String(parameter[parameter.index(after: equals)...])) }
            }
            rest = rest[..<question]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        let path = rest[slash...]
        if !path.isEmpty {
            parts.append(String(path))
            parts += path.split(separator: "/").map(String.init)
        }
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            parts.append(String(userinfo))
            parts += userinfo.split(separator: ":").map(String.init)
            authority = authority[authority.index(after: at)...]
        }
        parts.append(String(authority))
        if let colon = authority.lastIndex(of: ":") { parts.append(String(authority[..<colon])) }
        return parts
    }

    /// `text` without the values of `secrets` (the longest first, so a part never leaves the rest
    /// of a longer secret around it; parts under 3 characters are left, as they would blank out
    /// ordinary words).
    static func redact(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { $0.count >= 3 }.sorted { $0.count > $1.count }.reduce(text) { $0.replacing($1, with: "[secret]") }
    }
}

/// Why a delivery failed, as logged.
struct Why: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// glibc's memfd_create(2), which the Glibc module leaves out (a GNU extension).
@_silgen_name("memfd_create")
private func memfdCreate(_ name: UnsafePointer<CChar>, _ flags: UInt32) -> Int32
