//! kubectl's printer chain: `-o yaml|json|name|wide|jsonpath|custom-columns|go-template` and the
//! human-readable tables.
