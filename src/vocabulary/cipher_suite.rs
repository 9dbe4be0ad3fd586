//! The cipher suite code points (RFC 9420 §17.1).

use crate::wire_enum;

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
