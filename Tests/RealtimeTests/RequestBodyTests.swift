import Testing
@testable import Realtime

@Suite struct RequestBodyTests {
    private func configuration(threshold: Int = 16) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.bodySpoolThresholdBytes = threshold
        return configuration
    }

    private func append(_ body: RequestBody, _ text: String) throws(RequestBody.Failure) {
        var failure: RequestBody.Failure?
        Array(text.utf8).withUnsafeBytes { raw in
            do throws(RequestBody.Failure) { try body.append(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    @Test func aSmallBodyStaysInMemoryAndReleasesItsBudget() throws {
        let budget = BodyBudget(maxMemoryBytes: 100, maxDiskBytes: 100)
        let body = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: 5, budget: budget, configuration: configuration())
        try append(body, "hello")
        #expect(budget.memoryBytes == 5)
        let (bytes, file) = body.finish()
        #expect(bytes == Array("hello".utf8))
        #expect(file == nil)
        #expect(budget.memoryBytes == 0)
    }

    @Test func aDeclaredLengthPastTheThresholdGoesToAFileFromTheFirstByte() throws {
        let budget = BodyBudget(maxMemoryBytes: 100, maxDiskBytes: 100)
        let body = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50, acceptsFile: true), declaredLength: 20, budget: budget, configuration: configuration())
        try append(body, "0123456789")
        try append(body, "abcdefghij")
        #expect(budget.memoryBytes == 0)
        #expect(budget.diskBytes == 20)
        let (bytes, file) = body.finish()
        #expect(bytes.isEmpty)
        let spooled = try #require(file)
        #expect(try spooled.readAll() == Array("0123456789abcdefghij".utf8))
        #expect(try spooled.read(5..<12) == Array("56789ab".utf8))
    }

    @Test func aChunkedBodyMovesToAFileWhenItGrowsPastTheThreshold() throws {
        let budget = BodyBudget(maxMemoryBytes: 100, maxDiskBytes: 100)
        let body = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: nil, budget: budget, configuration: configuration())
        try append(body, "0123456789")
        #expect(budget.memoryBytes == 10)
        try append(body, "abcdefghij")
        #expect(budget.memoryBytes == 0, "the memory share is given back once the bytes are on disk")
        #expect(budget.diskBytes == 20)
        #expect(try body.finish().file?.readAll() == Array("0123456789abcdefghij".utf8))
    }

    @Test func anExhaustedMemoryBudgetSendsEvenSmallBodiesToDisk() throws {
        let budget = BodyBudget(maxMemoryBytes: 8, maxDiskBytes: 100)
        let first = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: 6, budget: budget, configuration: configuration())
        try append(first, "aaaaaa")
        let second = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: 6, budget: budget, configuration: configuration())
        try append(second, "bbbbbb")
        #expect(budget.memoryBytes == 6)
        #expect(budget.diskBytes == 6)
        #expect(try second.finish().file?.readAll() == Array("bbbbbb".utf8))
    }

    @Test func anExhaustedDiskBudgetIsRefused() throws {
        let budget = BodyBudget(maxMemoryBytes: 0, maxDiskBytes: 10)
        let body = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: nil, budget: budget, configuration: configuration())
        try append(body, "0123456789")
        #expect(throws: RequestBody.Failure.self) { try append(body, "x") }
        #expect(budget.diskBytes == 10)
    }

    @Test func bodiesPastThePolicyAreRefusedAsSoonAsTheLengthIsKnown() throws {
        let budget = BodyBudget(maxMemoryBytes: 100, maxDiskBytes: 100)
        #expect(throws: RequestBody.Failure.self) {
            try RequestBody(policy: HTTPBodyPolicy(maxBytes: 10), declaredLength: 11, budget: budget, configuration: configuration())
        }
        let chunked = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 10), declaredLength: nil, budget: budget, configuration: configuration())
        try append(chunked, "0123456789")
        #expect(throws: RequestBody.Failure.self) { try append(chunked, "x") }
    }

    @Test func droppingASpooledFileReleasesItsDiskShareAndAnUnfinishedBodyItsMemory() throws {
        let budget = BodyBudget(maxMemoryBytes: 100, maxDiskBytes: 100)
        do {
            let spooled = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: 30, budget: budget, configuration: configuration())
            try append(spooled, String(repeating: "x", count: 30))
            let small = try RequestBody(policy: HTTPBodyPolicy(maxBytes: 50), declaredLength: 4, budget: budget, configuration: configuration())
            try append(small, "abc")
            #expect(budget.diskBytes == 30)
            #expect(budget.memoryBytes == 3)
        }
        #expect(budget.diskBytes == 0)
        #expect(budget.memoryBytes == 0)
    }
}
