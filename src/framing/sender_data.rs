//! Sender data encryption (RFC 9420 §6.3.2): who sent a PrivateMessage, with which
//! generation and reuse guard, encrypted under a key derived from a sample of the
//! content ciphertext.
//!
//! ```text
//! ciphertext_sample = ciphertext[0..KDF.Nh-1]
//!
//! sender_data_key = ExpandWithLabel(sender_data_secret, "key",
//!                       ciphertext_sample, AEAD.Nk)
//! sender_data_nonce = ExpandWithLabel(sender_data_secret, "nonce",
//!                       ciphertext_sample, AEAD.Nn)
//! ```
//!
//! The AAD is the `SenderDataAAD`: the PrivateMessage's group id, epoch and content
//! type.

use crate::codec::Codec;
use crate::crypto::{CipherSuite, Secret};
use crate::error::Result;
use crate::messages::{SenderData, SenderDataAad};
use crate::secret_tree::sender_data_key;

/// Encrypts `sender_data` for a PrivateMessage whose content ciphertext is
/// `ciphertext` (§6.3.2).
pub fn encrypt_sender_data(
    suite: &CipherSuite,
    sender_data_secret: &Secret,
    aad: &SenderDataAad,
    sender_data: &SenderData,
    ciphertext: &[u8],
) -> Result<Vec<u8>> {
    let key = sender_data_key(suite, sender_data_secret.as_bytes(), ciphertext)?;
    suite.aead_seal(
        key.key.as_bytes(),
        key.nonce.as_bytes(),
        &aad.to_bytes(),
        &sender_data.to_bytes(),
    )
}

/// Decrypts and decodes the `encrypted_sender_data` of a PrivateMessage whose content
/// ciphertext is `ciphertext` (§6.3.2). Fails with [`crate::error::CryptoError::AeadOpen`]
/// if it does not decrypt, and with a decode error if it is not a `SenderData`.
/// The leaf index is not checked here.
pub fn decrypt_sender_data(
    suite: &CipherSuite,
    sender_data_secret: &Secret,
    aad: &SenderDataAad,
    encrypted_sender_data: &[u8],
    ciphertext: &[u8],
) -> Result<SenderData> {
    let key = sender_data_key(suite, sender_data_secret.as_bytes(), ciphertext)?;
    let plaintext = suite.aead_open(
        key.key.as_bytes(),
        key.nonce.as_bytes(),
        &aad.to_bytes(),
        encrypted_sender_data,
    )?;
    Ok(SenderData::from_bytes(&plaintext)?)
}
