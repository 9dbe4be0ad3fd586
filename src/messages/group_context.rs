//! STUB: see issue 2.
