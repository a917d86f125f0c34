import Crypto
import GRDB

/// The compact key of a run id, stored in `run_key`: the first 8 bytes of the
/// SHA-256 of the run id's UTF-8, read big-endian as a signed 64-bit integer.
///
/// ```swift
/// RunKey.of("r1")   // -9_010_601_390_311_183_475: SHA-256 of "r1" starts 82f3e9c695dc6b8d
/// ```
///
/// Duplicate checks look a run up by its key in the small integer index
/// `idx_run_key`, then compare run ids: two run ids may share a key, and both
/// are stored. The definition never changes, since stored keys depend on it
/// (docs/SCHEMA.md gives it, so that other tools can compute it).
enum RunKey {
    /// The key of `runId`.
    static func of(_ runId: String) -> Int64 {
        var runId = runId
        var hasher = SHA256()
        runId.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let bits = hasher.finalize().prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Int64(bitPattern: bits)
    }

    /// The SQL function `skill_forge_run_key(run_id)`: the key of a text, NULL
    /// for anything else. Only the migration that fills the keys of stored rows
    /// uses it; SQL that other tools run never can.
    static let sqlFunction = DatabaseFunction("skill_forge_run_key", argumentCount: 1, pure: true) { values in
        guard case .string(let runId) = values.first?.storage else { return nil }
        return of(runId)
    }
}
