import Testing

@testable import SkillForge

@Suite("ImportPipeline")
struct ImportPipelineTests {
    @Test("a pipeline freed with batches still unstored (the storing side failed) is released cleanly")
    func freedWithBatchesUnstored() throws {
        // Before the fix, libdispatch trapped here: the semaphore was freed below its initial value.
        var pipeline: ImportPipeline? = ImportPipeline(capacity: 2)
        try pipeline?.send(ImportBatch(), events: [])
        try pipeline?.send(ImportBatch(), events: [])
        pipeline?.stop()
        #expect(throws: ImportError.cancelled) { try pipeline?.send(ImportBatch(), events: []) }
        pipeline = nil  // Freeing it is the test: a trap here ends the whole test run.
    }
}
