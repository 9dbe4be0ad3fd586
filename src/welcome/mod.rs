//! Joining a group through a Welcome message (RFC 9420 §12.4.3.1): the wire processing
//! only.
//!
//! A Welcome carries the new epoch's GroupInfo, encrypted under a key derived from the
//! `welcome_secret`, and for each new member the `GroupSecrets` (the `joiner_secret`, a
//! path secret and the PSKs), HPKE-encrypted to that member's KeyPackage init key.
//!
//! This module decrypts and authenticates a Welcome; it does not build a group. That is
//! done in two steps, because the key that verifies the GroupInfo signature is in the
//! ratchet tree, which the caller can only build from the decrypted GroupInfo (or get
//! out of band):
//!
//! 1. [`decrypt`]: find our entry by KeyPackageRef, decrypt the `GroupSecrets`, derive
//!    the `psk_secret` and the `welcome_secret`, and decrypt the GroupInfo. The result,
//!    an [`UnverifiedWelcome`], is not yet authenticated.
//! 2. [`UnverifiedWelcome::verify`]: check the GroupInfo signature with the signer's
//!    key, run the key schedule from the `joiner_secret` and the GroupContext, and check
//!    the confirmation tag. The result is a [`VerifiedWelcome`].
//!
//! What is left to the code that builds the group state (§12.4.3.1): that the
//! `group_id` is new to the client, the integrity of the ratchet tree, finding our leaf,
//! and placing the path secret in the tree.
//!
//! [`create`] is the committer's side.

mod create;
mod process;

pub use create::{NewMember, create, sign_group_info};
pub use process::{UnverifiedWelcome, VerifiedWelcome, decrypt};

// Defined in the error layer, below this one, so that the crate's error type can carry it.
pub use crate::error::WelcomeViolation;

#[cfg(test)]
mod tests;
