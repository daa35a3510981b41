extension OpenAPIDocument {
    /// Sessions, API tokens, agents and roles.
    static var accounts: Part {
        Part(paths: [:], schemas: [:])
    }
}
