import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file to import, or standard input saved to an anonymous temporary file.
public struct ImportInput: Sendable {
    /// How messages name it: the path as given, or `-` for standard input.
    public let displayName: String
    private let source: Source

    private enum Source: Sendable {
        case file(path: String)
        case spool(SpooledStream)
    }

    /// A file on disk.
    public init(path: String) {
        displayName = path
        source = .file(path: path)
    }

    /// Standard input, copied in constant memory to a temporary file so it can be read
    /// more than once (to detect its format, to validate it, to import it).
    ///
    /// The file's name is removed as soon as it is created: only the open descriptor
    /// keeps it, so nothing is left in `TMPDIR` however the process ends (`kill -9`
    /// included), and its space is freed when the last copy of the input goes away.
    ///
    /// - Throws: ``ImportError/unreadableInput(file:problem:cause:)``.
    public static func standardInput() throws(ImportError) -> ImportInput {
        ImportInput(displayName: "-", source: .spool(try SpooledStream(copying: FileHandle.standardInput)))
    }

    private init(displayName: String, source: Source) {
        self.displayName = displayName
        self.source = source
    }

    /// The input's size in bytes (for progress), or 0 if unknown.
    var size: Int64 {
        switch source {
        case .file(let path):
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        case .spool(let spool):
            spool.size
        }
    }

    /// Opens the input for reading from its start; the handle closes its descriptor when released.
    func open() throws(ImportError) -> FileHandle {
        switch source {
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw .unreadableInput(file: displayName, problem: "cannot be opened")
            }
            return handle
        case .spool(let spool):
            return FileHandle(fileDescriptor: try spool.descriptorAtStart(), closeOnDealloc: true)
        }
    }

    /// Opens the input for reading, line by line.
    func lines(maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws(ImportError) -> LineReader {
        switch source {
        case .file(let path):
            try LineReader(path: path, displayName: displayName, maximumLineLength: maximumLineLength)
        case .spool(let spool):
            LineReader(descriptor: try spool.descriptorAtStart(), name: displayName, maximumLineLength: maximumLineLength)
        }
    }

    /// Every `*.jsonl` file under a directory, sorted, for transcript folders.
    public static func jsonlFiles(under directory: String) throws(ImportError) -> [ImportInput] {
        try files(under: directory) { $0.hasSuffix(".jsonl") }
    }

    /// Every file under a directory whose name `includes` takes, sorted by path: `rollout-*.jsonl`
    /// for Codex's session folders.
    ///
    /// ```swift
    /// try ImportInput.files(under: "/home/ana/.codex/sessions") { $0.hasPrefix("rollout-") && $0.hasSuffix(".jsonl") }
    /// ```
    ///
    /// - Throws: ``ImportError/unreadableInput(file:problem:cause:)`` when the directory cannot be listed.
    public static func files(under directory: String, named includes: (String) -> Bool) throws(ImportError) -> [ImportInput] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw .unreadableInput(file: directory, problem: "cannot list the directory")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if includes((relative as NSString).lastPathComponent) {
                files.append((directory as NSString).appendingPathComponent(relative))
            }
        }
        return files.sorted().map(ImportInput.init(path:))
    }
}

// MARK: - Spooling

/// A copy of a stream in a temporary file that has no name: it is unlinked the moment
/// it is created, so it disappears with its descriptor, closed on deinit or by the
/// kernel when the process dies.
private final class SpooledStream: Sendable {
    private let descriptor: Int32
    /// The bytes copied.
    let size: Int64

    init(copying source: FileHandle) throws(ImportError) {
        var template = Array(
            FileManager.default.temporaryDirectory.appendingPathComponent("skill-forge-stdin-XXXXXX").path.utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else {
            throw .unreadableInput(
                file: "-",
                problem: "cannot create a temporary file to hold standard input: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { buffer in
            if let path = buffer.baseAddress { _ = unlink(path) }
        }
        let destination = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        var size: Int64 = 0
        do {
            while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
                try destination.write(contentsOf: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            close(descriptor)
            throw .unreadableInput(
                file: "-", problem: "cannot read standard input: \(error.localizedDescription)", cause: error)
        }
        self.descriptor = descriptor
        self.size = size
    }

    /// A new descriptor of the copy, at its start, for one reading (the caller closes it).
    /// Readings take turns: descriptors made by `dup` share their position.
    func descriptorAtStart() throws(ImportError) -> Int32 {
        let copy = dup(descriptor)
        guard copy >= 0, lseek(copy, 0, SEEK_SET) == 0 else {
            let problem = String(cString: strerror(errno))
            if copy >= 0 { close(copy) }
            throw .unreadableInput(file: "-", problem: "cannot read the copy of standard input: \(problem)")
        }
        return copy
    }

    deinit {
        close(descriptor)
    }
}
