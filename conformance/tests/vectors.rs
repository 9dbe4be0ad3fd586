//! Every RFC 9420 vector case as a libtest-mimic trial. (To be written: see issue 2.)
fn main() {}
