#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

extension FileHandle {
    /// Reads to the end of the file, retrying reads a signal interrupts (`EINTR`):
    /// Foundation's `readDataToEndOfFile()` traps on them, and tests that signal
    /// child processes get them.
    public func readAllRetryingInterrupts() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let descriptor = fileDescriptor
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }
}

/// `read(2)`, under a name no `FileHandle` method shadows.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
