//! The Web API for Messaging Layer Security (spec/mls-webapi.md) on top of the protocol
//! layers of this crate.
//!
//! - [`store`]: the per-origin encrypted store that keeps every identity, key package and
//!   group state of an origin (spec §4, §9).

pub mod store;
