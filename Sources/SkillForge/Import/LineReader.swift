import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line in constant memory.
///
/// Lines end with `\n` (a `\r` before it is dropped). A line longer than
/// ``maximumLineLength`` bytes (a `\r` before its `\n` counting) is not held:
/// the reader skips to its end and reports it as ``Line/tooLong``. A UTF-8
/// byte-order mark is skipped; a UTF-16 one is refused, since every format here
/// is UTF-8.
struct LineReader: ~Copyable {
    /// The longest line held in memory, in bytes.
    static let defaultMaximumLineLength = 16 << 20

    /// One line of the file.
    enum Line {
        /// A line's bytes, without its end of line. (Let go of it before the
        /// next call, or the reader's buffer is copied.)
        case text(ArraySlice<UInt8>)
        /// A line longer than the limit, skipped.
        case tooLong(length: Int)
    }

    let path: String
    let maximumLineLength: Int
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// Bytes consumed so far, for progress.
    private(set) var bytesRead: Int64 = 0
    /// Whether the last line returned had no end of line (the file ends mid-line).
    private(set) var lastLineIsUnterminated = false
    /// Whether the last line returned ended with `\r\n` rather than `\n` (for CSV, whose
    /// quoted fields keep their line breaks as written).
    private(set) var lastLineEndedWithCarriageReturn = false

    private let descriptor: Int32
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEndOfFile = false
    private var checkedStart = false

    /// Opens `path` for reading.
    ///
    /// - Throws: ``ImportError/unreadableInput(file:problem:cause:)``.
    init(path: String, displayName: String? = nil, maximumLineLength: Int = LineReader.defaultMaximumLineLength)
        throws(ImportError)
    {
        let name = displayName ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableInput(file: name, problem: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw .unreadableInput(file: name, problem: "is a directory")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .unreadableInput(file: name, problem: String(cString: strerror(errno)))
        }
        self.init(descriptor: descriptor, name: name, maximumLineLength: maximumLineLength)
    }

    /// Reads from an open descriptor, which the reader closes; `name` is how messages call it.
    init(descriptor: Int32, name: String, maximumLineLength: Int = LineReader.defaultMaximumLineLength) {
        path = name
        self.descriptor = descriptor
        self.maximumLineLength = maximumLineLength
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    deinit {
        close(descriptor)
    }

    /// The next line, or `nil` at the end of the file.
    mutating func next() throws(ImportError) -> Line? {
        var skipped = 0
        while true {
            if let newline = newlineIndex() {
                lineNumber += 1
                let lineStart = start
                var lineEnd = newline
                start = newline + 1
                // A line may fit in the buffer and still be longer than the limit (a small limit, say).
                if skipped > 0 || lineEnd - lineStart > maximumLineLength {
                    lastLineEndedWithCarriageReturn = false
                    return .tooLong(length: skipped + (lineEnd - lineStart))
                }
                lastLineEndedWithCarriageReturn = lineEnd > lineStart && buffer[lineEnd - 1] == UInt8(ascii: "\r")
                if lastLineEndedWithCarriageReturn { lineEnd -= 1 }
                return .text(buffer[lineStart..<lineEnd])
            }
            if atEndOfFile {
                guard start < end || skipped > 0 else { return nil }
                lineNumber += 1
                lastLineIsUnterminated = true
                lastLineEndedWithCarriageReturn = false
                let lineStart = start
                start = end
                if skipped > 0 || end - lineStart > maximumLineLength {
                    return .tooLong(length: skipped + (end - lineStart))
                }
                return .text(buffer[lineStart..<end])
            }
            if end - start > maximumLineLength {
                // Past the limit: drop what is buffered and keep skipping to the end of the line.
                skipped += end - start
                start = 0
                end = 0
            }
            try fill()
        }
    }

    /// The index of the first `\n` in the unread bytes (memchr: several times faster than a Swift loop).
    private func newlineIndex() -> Int? {
        buffer.withUnsafeBytes { raw -> Int? in
            guard let base = raw.baseAddress, end > start,
                let found = memchr(base + start, Int32(UInt8(ascii: "\n")), end - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// Reads more bytes, growing the buffer up to the line limit.
    private mutating func fill() throws(ImportError) {
        if start > 0 {
            // Move the unread bytes to the front in place (a slice of the buffer as the source would copy it all).
            let unread = end - start
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + start, unread)
            }
            end = unread
            start = 0
        }
        if end == buffer.count {
            buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maximumLineLength + 1 - buffer.count)))
        }
        let count = buffer.withUnsafeMutableBytes { raw in
            read(descriptor, raw.baseAddress.map { $0 + end }, raw.count - end)
        }
        guard count >= 0 else {
            if errno == EINTR { return }
            throw .unreadableInput(file: path, problem: String(cString: strerror(errno)))
        }
        if count == 0 { atEndOfFile = true }
        end += count
        bytesRead += Int64(count)
        if !checkedStart && (end >= 3 || atEndOfFile) { try checkEncoding() }
    }

    /// Skips a UTF-8 byte-order mark and refuses UTF-16 and UTF-32 text.
    private mutating func checkEncoding() throws(ImportError) {
        checkedStart = true
        let head = Array(buffer[0..<min(end, 4)])
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            start = 3
        } else if Self.looksLikeUTF16(head) {
            throw .unreadableInput(file: path, problem: Self.utf16Problem)
        }
    }

    /// Why a UTF-16 input is refused, and what to do.
    static let utf16Problem = "is not UTF-8 (it looks like UTF-16); convert it first, e.g. iconv -f UTF-16 -t UTF-8"

    /// Whether a file starting with `head` is UTF-16 (or UTF-32): a UTF-16 byte-order
    /// mark, or one NUL and one other byte as its first two (ASCII text in UTF-16 without
    /// a mark). Two NULs are binary data, not text.
    static func looksLikeUTF16(_ head: some Collection<UInt8>) -> Bool {
        let head = Array(head.prefix(2))
        return head == [0xFF, 0xFE] || head == [0xFE, 0xFF] || (head.count == 2 && (head[0] == 0) != (head[1] == 0))
    }
}

extension ArraySlice<UInt8> {
    /// The bytes as a string, or `nil` when they are not valid UTF-8 or hold a NUL (binary data).
    var utf8Text: String? {
        guard !contains(0) else { return nil }
        return String(validating: self, as: UTF8.self)
    }
}
