//! Every wire struct of RFC 9420, each with the RFC's definition quoted above it.
//!
//! Decoding is strict and canonical: [`crate::codec::Codec::from_bytes`] rejects
//! trailing bytes, `optional<T>` presence bytes other than 0 and 1, and non-minimal
//! length headers. Enums that only name a value (cipher suites, extension types, ...)
//! keep unknown and GREASE values; an unknown value of an enum that selects a body
//! whose length cannot otherwise be known (wire format, content type, sender type,
//! proposal type, credential type, ...) is a [`crate::error::DecodeError::InvalidValue`].

pub mod authenticated_content;
pub mod capabilities;
pub mod commit;
pub mod common;
pub mod credential;
pub mod extensions;
pub mod framed_content;
pub mod framed_content_auth_data;
pub mod group_context;
pub mod group_info;
pub mod group_secrets;
pub mod hash_reference;
pub mod hpke_ciphertext;
pub mod key_package;
pub mod leaf_node;
pub mod lifetime;
pub mod mls_message;
pub mod pre_shared_key_id;
pub mod private_message;
pub mod private_message_content;
pub mod proposal;
pub mod public_message;
pub mod ratchet_tree;
pub mod sender;
pub mod sender_data;
pub mod update_path;
pub mod welcome;

pub use authenticated_content::{AuthenticatedContent, framed_content_tbs};
pub use capabilities::Capabilities;
pub use commit::{Commit, ProposalOrRef, ProposalOrRefType};
pub use common::{CipherSuiteId, ProtocolVersion};
pub use credential::{Certificate, Credential, CredentialType};
pub use framed_content::{Content, ContentType, FramedContent};
pub use framed_content_auth_data::FramedContentAuthData;
pub use group_info::GroupInfo;
pub use group_secrets::{GroupSecrets, PathSecret};
pub use hash_reference::{KeyPackageRef, ProposalRef};
pub use hpke_ciphertext::HpkeCiphertext;
pub use key_package::KeyPackage;
pub use leaf_node::{LeafNode, LeafNodeSource, LeafNodeSourceType};
pub use lifetime::Lifetime;
pub use mls_message::{MlsMessage, WireFormat};
pub use pre_shared_key_id::{PreSharedKeyId, PskSource, PskType, ResumptionPskUsage};
pub use private_message::PrivateMessage;
pub use private_message_content::PrivateMessageContent;
pub use proposal::{
    Add, ExternalInit, GroupContextExtensions, PreSharedKey, Proposal, ProposalType, ReInit,
    Remove, Update,
};
pub use public_message::PublicMessage;
pub use ratchet_tree::{Node, NodeType, ParentNode, RatchetTreeNodes};
pub use sender::{Sender, SenderType};
pub use sender_data::{PrivateContentAad, SenderData, SenderDataAad};
pub use update_path::{UpdatePath, UpdatePathNode};
pub use welcome::{EncryptedGroupSecrets, Welcome};
