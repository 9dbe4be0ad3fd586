//! The extension types of the IANA registry (RFC 9420 §7.2, §17.3).

use crate::wire_enum;

wire_enum! {
    /// The type of an extension (§7.2; values from the registry of §17.3).
    ///
    /// ```text
    /// // See the "MLS Extension Types" IANA registry for values
    /// uint16 ExtensionType;
    /// ```
    pub struct ExtensionType(u16) {
        /// `application_id` (LeafNode): an application-defined identifier of the client.
        APPLICATION_ID = 0x0001,
        /// `ratchet_tree` (GroupInfo): the public ratchet tree (§12.4.3.3).
        RATCHET_TREE = 0x0002,
        /// `required_capabilities` (GroupContext): what every member must support (§11.1).
        REQUIRED_CAPABILITIES = 0x0003,
        /// `external_pub` (GroupInfo): the group's external HPKE public key (§12.4.3.2).
        EXTERNAL_PUB = 0x0004,
        /// `external_senders` (GroupContext): who may send external proposals (§12.1.8.1).
        EXTERNAL_SENDERS = 0x0005,
    }
}
