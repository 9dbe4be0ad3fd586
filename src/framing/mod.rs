//! Message framing (RFC 9420 §6): turning a FramedContent into a signed
//! AuthenticatedContent, and an AuthenticatedContent into a PublicMessage or
//! PrivateMessage and back.
//!
//! ```text
//!              FramedContent
//!                    |  sign_content / verify_content_signature   (§6.1)
//!                    V
//!            AuthenticatedContent
//!                    |
//!        +-----------+------------+
//!        |                        |
//!  protect_public          protect_private                        (§6.2, §6.3)
//!  unprotect_public        unprotect_private
//!        |                        |
//!  PublicMessage           PrivateMessage
//! ```
//!
//! This layer holds no group state and never looks at a ratchet tree. The caller
//! passes the GroupContext, the epoch's secrets, the [`SecretTree`] and a lookup from a
//! sender to its signature key; the tree-free design is what lets the
//! message-protection test vectors, which carry no tree, run against it.
//!
//! Every failure is typed: a broken framing rule is a [`FramingViolation`], a MAC,
//! signature or AEAD failure a [`crate::error::CryptoError`], a malformed plaintext
//! (including non-zero padding) a [`crate::error::DecodeError`]. A failed check changes
//! nothing; in particular a PrivateMessage that fails any check leaves the secret tree
//! as it was.
//!
//! [`SecretTree`]: crate::secret_tree::SecretTree

mod content_authentication;
mod framed_message;
mod padding;
mod private;
mod public;
mod sender_data;
mod violation;

#[cfg(test)]
mod tests;

pub use content_authentication::{
    check_confirmation_tag_presence, check_content_rules, check_group_and_epoch, sign_content,
    verify_content_signature,
};
pub use framed_message::FramedMessage;
pub use padding::PaddingPolicy;
pub use private::{guarded_nonce, protect_private, ratchet_for, unprotect_private};
pub use public::{protect_public, unprotect_public};
pub use sender_data::{decrypt_sender_data, encrypt_sender_data};
pub use violation::FramingViolation;
