//! describe tests.
