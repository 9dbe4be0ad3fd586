//! The proposal types of the IANA registry (RFC 9420 §12.1, §17.4).

use crate::wire_enum;

wire_enum! {
    /// The kind of a proposal (RFC 9420 §12.1, §17.4).
    ///
    /// ```text
    /// // See the "MLS Proposal Types" IANA registry for values
    /// uint16 ProposalType;
    /// ```
    pub struct ProposalType(u16) {
        /// Add a member.
        ADD = 1,
        /// Replace the sender's leaf.
        UPDATE = 2,
        /// Remove a member.
        REMOVE = 3,
        /// Inject a pre-shared key.
        PSK = 4,
        /// Reinitialize the group.
        REINIT = 5,
        /// Join by external commit.
        EXTERNAL_INIT = 6,
        /// Replace the group context extensions.
        GROUP_CONTEXT_EXTENSIONS = 7,
    }
}
