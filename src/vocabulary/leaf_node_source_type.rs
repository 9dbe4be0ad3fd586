//! How a leaf node came to be (RFC 9420 §7.2).

use crate::wire_enum;

wire_enum! {
    /// How a leaf node came to be (RFC 9420 §7.2); the RFC calls this enum
    /// `LeafNodeSource`, and [`crate::messages::LeafNodeSource`] here is the selected body.
    ///
    /// ```text
    /// enum {
    ///     reserved(0),
    ///     key_package(1),
    ///     update(2),
    ///     commit(3),
    ///     (255)
    /// } LeafNodeSource;
    /// ```
    pub struct LeafNodeSourceType(u8) {
        /// Published in a KeyPackage.
        KEY_PACKAGE = 1,
        /// Sent in an Update proposal.
        UPDATE = 2,
        /// Sent in the UpdatePath of a Commit.
        COMMIT = 3,
    }
}
