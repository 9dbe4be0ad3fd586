//! The MLS protocol version (RFC 9420 §6).

use crate::wire_enum;

wire_enum! {
    /// The MLS protocol version (RFC 9420 §6).
    ///
    /// ```text
    /// enum {
    ///     reserved(0),
    ///     mls10(1),
    ///     (65535)
    /// } ProtocolVersion;
    /// ```
    pub struct ProtocolVersion(u16) {
        /// MLS 1.0, the version of RFC 9420.
        MLS10 = 1,
    }
}
