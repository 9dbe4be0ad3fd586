//! Hash-based identifiers (RFC 9420 §5.2): references to KeyPackages and Proposals.

use crate::codec::{Codec, Reader, write_opaque};
use crate::error::DecodeError;
use crate::messages::common::read_opaque;

/// Declares a `HashReference` newtype with its codec.
macro_rules! hash_reference {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub Vec<u8>);

        impl Codec for $name {
            fn encode(&self, out: &mut Vec<u8>) {
                write_opaque(out, &self.0);
            }

            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                read_opaque(r).map($name)
            }
        }

        impl AsRef<[u8]> for $name {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }
    };
}

hash_reference! {
    /// A reference to a KeyPackage: `RefHash("MLS 1.0 KeyPackage Reference", KeyPackage)`
    /// (RFC 9420 §5.2).
    ///
    /// ```text
    /// opaque HashReference<V>;
    /// HashReference KeyPackageRef;
    /// ```
    KeyPackageRef
}

hash_reference! {
    /// A reference to a proposal: `RefHash("MLS 1.0 Proposal Reference",
    /// AuthenticatedContent)` (RFC 9420 §5.2).
    ///
    /// ```text
    /// opaque HashReference<V>;
    /// HashReference ProposalRef;
    /// ```
    ProposalRef
}
