//! Every wire struct of RFC 9420, each with the RFC's definition quoted above it.

pub mod extensions;
pub mod group_context;
