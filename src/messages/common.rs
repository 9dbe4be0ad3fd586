//! Small wire enums shared by many structs: the protocol version and the cipher suite
//! code point (RFC 9420 §6, §17.1).

use crate::codec::{Reader, write_opaque};
use crate::crypto::{HpkePublicKey, SignaturePublicKey};
use crate::error::DecodeError;
use crate::wire_enum;

wire_enum! {
    /// The MLS protocol version (RFC 9420 §6).
    ///
    /// ```text
    /// enum {
    ///     reserved(0),
    ///     mls10(1),
    ///     (65535)
    /// } ProtocolVersion;
    /// ```
    pub struct ProtocolVersion(u16) {
        /// MLS 1.0, the version of RFC 9420.
        MLS10 = 1,
    }
}

wire_enum! {
    /// A cipher suite as it appears on the wire (RFC 9420 §17.1): any `uint16`, known or
    /// not. [`crate::crypto::CipherSuite`] is the implementation of a known one.
    ///
    /// ```text
    /// uint16 CipherSuite;
    /// ```
    pub struct CipherSuiteId(u16) {
        /// MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519.
        MLS_128_DHKEMX25519_AES128GCM_SHA256_ED25519 = 0x0001,
        /// MLS_128_DHKEMP256_AES128GCM_SHA256_P256.
        MLS_128_DHKEMP256_AES128GCM_SHA256_P256 = 0x0002,
        /// MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519.
        MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_ED25519 = 0x0003,
        /// MLS_256_DHKEMX448_AES256GCM_SHA512_Ed448.
        MLS_256_DHKEMX448_AES256GCM_SHA512_ED448 = 0x0004,
        /// MLS_256_DHKEMP521_AES256GCM_SHA512_P521.
        MLS_256_DHKEMP521_AES256GCM_SHA512_P521 = 0x0005,
        /// MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_Ed448.
        MLS_256_DHKEMX448_CHACHA20POLY1305_SHA512_ED448 = 0x0006,
        /// MLS_256_DHKEMP384_AES256GCM_SHA384_P384.
        MLS_256_DHKEMP384_AES256GCM_SHA384_P384 = 0x0007,
    }
}

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
