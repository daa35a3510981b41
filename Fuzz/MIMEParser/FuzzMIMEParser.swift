public func fuzzPlaceholder() {}
