//! mlsconf: the conformance tool. (To be written: see issue 2.)
fn main() {}
