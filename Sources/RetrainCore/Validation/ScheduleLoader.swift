import Crypto
import RetrainYAML

/// One schedule file, read and decoded: the spec when valid, and every diagnostic either way.
public struct LoadedSchedule: Sendable {
    /// The schedule id (the file stem).
    public var id: String
    /// The path as given.
    public var path: String
    /// The spec, nil when the file has errors.
    public var spec: ScheduleSpec?
    /// Every problem in the file, sorted, with source lines attached.
    public var diagnostics: [Diagnostic]
}

/// Reads and decodes schedule files and `retrain.yaml`.
public enum ScheduleLoader {
    /// The id rule: `[a-z0-9][a-z0-9_-]{0,62}`.
    public static func isValidID(_ id: String) -> Bool {
        id.withUTF8Bytes { b in
            guard (1...63).contains(b.count) else { return false }
            func ok(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) }
            return ok(b[0]) && b.dropFirst().allSatisfy { ok($0) || $0 == 0x2D || $0 == 0x5F }
        }
    }

    /// Reads, parses and decodes one schedule file. `path` is what diagnostics show; the file is
    /// opened as `name` in the folder open as `directory`, when given.
    public static func load(path: String, id: String, context: ValidationContext, directory: Int32? = nil, name: String? = nil) -> LoadedSchedule {
        var sink = DiagnosticSink(file: path)
        let read = directory.map { SourceFile.read(name ?? path, in: $0) } ?? SourceFile.read(path)
        switch read {
        case .failure(let error):
            sink.error(Messages.fileError(error), at: nil)
            return LoadedSchedule(id: id, path: path, spec: nil, diagnostics: sink.items)
        case .success(let bytes):
            return decode(bytes: bytes, path: path, id: id, context: context)
        }
    }

    /// Parses and decodes bytes already read.
    public static func decode(bytes: [UInt8], path: String, id: String, context: ValidationContext) -> LoadedSchedule {
        var reader = NodeReader(sink: DiagnosticSink(file: path))
        if !isValidID(id) { reader.sink.error(Messages.badID(id), at: nil) }
        let document = YAMLParser.parse(bytes)
        var spec: ScheduleSpec?
        report(document, reader: &reader)
        if let root = document.root, document.issues.isEmpty || !document.issues.contains(where: stopsDecoding) {
            if case .scalar(let text, let style) = root.content, ScalarValue(text, style: style) == .null {
                reader.sink.error(Messages.emptyFile, at: nil)
            } else {
                spec = ScheduleDecoder.decode(id: id, root: root, context: context, reader: &reader)
                spec?.file = path
                if context.hashesSource { spec?.sourceHash = hex(SHA256.hash(data: bytes)) }
            }
        } else if document.root == nil && document.issues.isEmpty {
            reader.sink.error(Messages.emptyFile, at: nil)
        }
        var diagnostics = reader.sink.items
        if !diagnostics.isEmpty {
            diagnostics.sort(by: Diagnostic.sortKey)
            SourceFile.attachLines(&diagnostics, bytes: bytes)
        }
        return LoadedSchedule(id: id, path: path, spec: reader.sink.hasErrors ? nil : spec, diagnostics: diagnostics)
    }

    /// The schedule `id` in `folder` (`ID.yaml`, else `ID.yml`), with a clear error when there is none.
    public static func find(id: String, in folder: String, context: ValidationContext) -> LoadedSchedule {
        guard isValidID(id) else {
            return LoadedSchedule(id: id, path: id, spec: nil, diagnostics: [Diagnostic(.error, file: id, mark: nil, message: Messages.badID(id))])
        }
        for suffix in [".yaml", ".yml"] {
            let path = folder + "/" + id + suffix
            guard SourceFile.exists(path) else { continue }
            return load(path: path, id: id, context: context)
        }
        return LoadedSchedule(
            id: id, path: folder + "/" + id + ".yaml", spec: nil,
            diagnostics: [Diagnostic(.error, file: folder + "/" + id + ".yaml", mark: nil, message: Messages.noSuchSchedule(id, folder: folder))])
    }

    /// Reads `retrain.yaml`; a missing file gives the defaults and no diagnostics.
    public static func loadConfig(path: String) -> (RepositoryConfig?, [Diagnostic]) {
        var reader = NodeReader(sink: DiagnosticSink(file: path))
        let bytes: [UInt8]
        switch SourceFile.read(path) {
        case .failure(.missing):
            return (RepositoryConfig(), [])  // no file: defaults
        case .failure(let error):
            reader.sink.error(Messages.fileError(error), at: nil)
            return (nil, reader.sink.items)
        case .success(let b):
            bytes = b
        }
        let document = YAMLParser.parse(bytes)
        report(document, reader: &reader)
        var config: RepositoryConfig? = RepositoryConfig()
        if let root = document.root, !document.issues.contains(where: stopsDecoding) {
            if case .scalar(let text, let style) = root.content, ScalarValue(text, style: style) == .null {
                config = RepositoryConfig()
            } else {
                config = RepositoryConfig.decode(root: root, reader: &reader)
            }
        }
        var diagnostics = reader.sink.items.sorted(by: Diagnostic.sortKey)
        SourceFile.attachLines(&diagnostics, bytes: bytes)
        return (reader.sink.hasErrors ? nil : config, diagnostics)
    }

    private static func report(_ document: YAMLDocument, reader: inout NodeReader) {
        // One error for the first anchor and one for the first alias: an alias bomb is one problem, not thousands.
        var seenAnchor = false
        var seenAlias = false
        for issue in document.issues {
            switch issue.kind {
            case .anchor:
                if seenAnchor { continue }
                seenAnchor = true
            case .alias:
                if seenAlias { continue }
                seenAlias = true
            default: break
            }
            let notes = issue.contextMark.map { [Diagnostic.Note(mark: $0, message: "the structure that could not be finished starts here")] } ?? []
            reader.sink.error(Messages.yaml(issue.kind), at: issue.mark, notes: notes.filter { $0.mark != issue.mark })
        }
    }

    /// Issues after which the tree is incomplete, so decoding it would only add noise.
    private static func stopsDecoding(_ issue: YAMLIssue) -> Bool {
        switch issue.kind {
        case .anchor, .tag, .tabIndentation: false
        default: true
        }
    }
}
