import Foundation

/// A file to import, or standard input saved to a temporary file.
public struct ImportInput: Sendable {
    /// The file read.
    public let path: String
    /// How messages name it: the path as given, or `-` for standard input.
    public let displayName: String
    private let spool: SpooledFile?

    /// A file on disk.
    public init(path: String) {
        self.path = path
        displayName = path
        spool = nil
    }

    /// Standard input, copied to a temporary file in constant memory so it can be read twice
    /// (once to validate, once to import). The file is removed when the last copy of the input goes away.
    public static func standardInput() throws(ImportError) -> ImportInput {
        let spool = try SpooledFile(copying: FileHandle.standardInput)
        return ImportInput(path: spool.path, displayName: "-", spool: spool)
    }

    private init(path: String, displayName: String, spool: SpooledFile) {
        self.path = path
        self.displayName = displayName
        self.spool = spool
    }

    /// The input's size in bytes (for progress), or 0 if unknown.
    var size: Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Opens the input for reading, line by line.
    func lines(maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws(ImportError) -> LineReader {
        try LineReader(path: path, displayName: displayName, maximumLineLength: maximumLineLength)
    }

    /// Every `*.jsonl` file under a directory, sorted, for transcript folders.
    public static func jsonlFiles(under directory: String) throws(ImportError) -> [ImportInput] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw .unreadableInput(file: directory, problem: "cannot list the directory")
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".jsonl") { files.append((directory as NSString).appendingPathComponent(relative)) }
        }
        return files.sorted().map(ImportInput.init(path:))
    }
}

/// A temporary copy of a stream, removed on deinit.
private final class SpooledFile: Sendable {
    let path: String

    init(copying source: FileHandle) throws(ImportError) {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("skill-forge-stdin-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let destination = FileHandle(forWritingAtPath: path)
        else {
            throw .unreadableInput(file: "-", problem: "cannot create a temporary file to hold standard input")
        }
        defer { try? destination.close() }
        do {
            while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
                try destination.write(contentsOf: chunk)
            }
        } catch {
            throw .unreadableInput(file: "-", problem: "cannot read standard input: \(error.localizedDescription)")
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
