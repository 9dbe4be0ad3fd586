//! Small wire enums shared by many structs: the protocol version and the cipher suite
//! code point (RFC 9420 §6, §17.1).

use crate::codec::{Reader, write_opaque};
use crate::crypto::{HpkePublicKey, SignaturePublicKey};
use crate::error::DecodeError;

// Defined in the vocabulary layer, below the error type whose violations name it.
pub use crate::vocabulary::{CipherSuiteId, ProtocolVersion};

/// Reads an `opaque data<V>` into an owned vector.
pub(crate) fn read_opaque(r: &mut Reader<'_>) -> Result<Vec<u8>, DecodeError> {
    Ok(r.opaque()?.to_vec())
}

/// Reads an `HPKEPublicKey` (`opaque HPKEPublicKey<V>`, RFC 9420 §5.1.1).
pub(crate) fn read_hpke_key(r: &mut Reader<'_>) -> Result<HpkePublicKey, DecodeError> {
    read_opaque(r).map(HpkePublicKey)
}

/// Writes an `HPKEPublicKey`.
pub(crate) fn write_hpke_key(out: &mut Vec<u8>, key: &HpkePublicKey) {
    write_opaque(out, &key.0);
}

/// Reads a `SignaturePublicKey` (`opaque SignaturePublicKey<V>`, RFC 9420 §5.1.1).
pub(crate) fn read_signature_key(r: &mut Reader<'_>) -> Result<SignaturePublicKey, DecodeError> {
    read_opaque(r).map(SignaturePublicKey)
}

/// Writes a `SignaturePublicKey`.
pub(crate) fn write_signature_key(out: &mut Vec<u8>, key: &SignaturePublicKey) {
    write_opaque(out, &key.0);
}
