//! Every wire struct of RFC 9420.
// STUB: see issue 2.
