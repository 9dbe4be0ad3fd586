//! The output of `EncryptWithLabel` on the wire (RFC 9420 §7.6).

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;

/// An HPKE ciphertext: the KEM output and the AEAD ciphertext (RFC 9420 §7.6).
///
/// ```text
/// struct {
///     opaque kem_output<V>;
///     opaque ciphertext<V>;
/// } HPKECiphertext;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpkeCiphertext {
    /// The encapsulated key.
    pub kem_output: Vec<u8>,
    /// The AEAD ciphertext.
    pub ciphertext: Vec<u8>,
}

impl Codec for HpkeCiphertext {
    fn encode(&self, out: &mut Vec<u8>) {
        write_opaque(out, &self.kem_output);
        write_opaque(out, &self.ciphertext);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(HpkeCiphertext {
            kem_output: read_opaque(r)?,
            ciphertext: read_opaque(r)?,
        })
    }
}
