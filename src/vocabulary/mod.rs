//! The protocol's vocabulary: the code points and small selectors of RFC 9420 that the
//! wire structs of [`crate::messages`] carry and that the crate's errors name (the
//! protocol version and cipher suite of §6 and §17.1, the sender and content types of §6,
//! the leaf node sources of §7.2, the PSK types of §8.4, and the IANA registries of
//! extension, proposal and credential types, §17.3–§17.5), with the `required_capabilities`
//! demands of §11.1.
//!
//! It sits below [`crate::error`] so that the error type can carry these values without
//! importing a layer above it. Each type is re-exported where it was first written: the
//! wire types from [`crate::messages`], [`Capability`] from [`crate::ratchet_tree`];
//! their encodings ([`crate::codec::Codec`]) are derived by `wire_enum!` here, or written
//! beside the structs that select on them in `messages`.

mod capability;
mod cipher_suite;
mod content_type;
mod credential_type;
mod extension_type;
mod leaf_node_source_type;
mod proposal_type;
mod protocol_version;
mod psk;
mod sender;

pub use capability::Capability;
pub use cipher_suite::CipherSuiteId;
pub use content_type::ContentType;
pub use credential_type::CredentialType;
pub use extension_type::ExtensionType;
pub use leaf_node_source_type::LeafNodeSourceType;
pub use proposal_type::ProposalType;
pub use protocol_version::ProtocolVersion;
pub use psk::{PskSource, PskType, ResumptionPskUsage};
pub use sender::{Sender, SenderType};
