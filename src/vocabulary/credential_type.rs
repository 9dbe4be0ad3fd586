//! The credential types of the IANA registry (RFC 9420 §5.3, §17.5).

use crate::wire_enum;

wire_enum! {
    /// The kind of a credential (RFC 9420 §5.3, §17.5).
    ///
    /// ```text
    /// // See the "MLS Credential Types" IANA registry for values
    /// uint16 CredentialType;
    /// ```
    pub struct CredentialType(u16) {
        /// A bare identity.
        BASIC = 1,
        /// A chain of X.509 certificates.
        X509 = 2,
    }
}
