#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Foundation
import SkillForge

/// Buffered text output to a file descriptor (stdout or stderr).
///
/// Commands print through one of these so that long outputs cost few system
/// calls; the buffer is flushed when it fills, on `flush()` and on deinit.
final class TextOutput {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let capacity = 64 * 1024

    /// Standard output.
    static func standardOutput() -> TextOutput { TextOutput(descriptor: STDOUT_FILENO) }
    /// Standard error.
    static func standardError() -> TextOutput { TextOutput(descriptor: STDERR_FILENO) }

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(capacity)
    }

    deinit { flush() }

    /// Whether the output goes to a terminal (for progress displays and colours).
    var isTerminal: Bool { isatty(descriptor) == 1 }

    /// Appends `text`.
    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { flush() }
    }

    /// Appends `text` and a newline.
    func line(_ text: String = "") {
        write(text)
        write("\n")
    }

    /// A writer of rows in the export CSV (every column under its SQL name) to
    /// this output, after what is buffered here.
    func metricsCSVWriter() -> MetricsWriter {
        flush()
        return MetricsWriter(format: .csv, output: FileHandle(fileDescriptor: descriptor, closeOnDealloc: false))
    }

    /// Writes out everything buffered.
    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return 0 }
                return systemWrite(descriptor, base + offset, bytes.count - offset)
            }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                break  // the reader went away (a closed pipe): drop the rest
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `write(2)`, named apart from `TextOutput.write(_:)`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(descriptor, bytes, count)
    #else
    Darwin.write(descriptor, bytes, count)
    #endif
}
