//! mls-rs 0.57: `MlsDecode` of its public types, and `ExternalClient::validate_key_package`
//! as the structure-level check of a KeyPackage.

use std::convert::Infallible;

use mls_rs::external_client::ExternalClient;
use mls_rs::external_client::builder::MlsConfig;
use mls_rs::group::ExportedTree;
use mls_rs::group::proposal::{
    AddProposal, ExternalInit, PreSharedKeyProposal, ReInitProposal, RemoveProposal, UpdateProposal,
};
use mls_rs::identity::{CredentialType, SigningIdentity};
use mls_rs::mls_rs_codec::MlsDecode;
use mls_rs::time::MlsTime;
use mls_rs::{CipherSuite, CryptoProvider as _, ExtensionList, IdentityProvider, MlsMessage};
use mls_rs_core::identity::MemberValidationContext;
use mls_rs_crypto_rustcrypto::RustCryptoProvider;

use super::{DecodingEngine, key_package_suite, unsupported_suite};
use crate::differential::inputs::Input;
use crate::differential::structure::Structure;
use crate::differential::verdict::{Level, Verdict};

/// `version = mls10, wire_format = mls_key_package`: the MLSMessage header that turns the
/// body of an Add (a KeyPackage) into what `validate_key_package` takes.
const KEY_PACKAGE_MESSAGE_HEADER: [u8; 4] = [0, 1, 0, 5];

/// mls-rs, with the RustCrypto provider (suites 1, 2 and 3).
pub struct MlsRs<C: MlsConfig> {
    client: ExternalClient<C>,
    crypto: RustCryptoProvider,
}

/// The mls-rs engine, boxed (its configuration type cannot be named).
pub fn engine() -> Box<dyn DecodingEngine> {
    let client = ExternalClient::builder()
        .crypto_provider(RustCryptoProvider::new())
        .identity_provider(AnyCredential)
        .build();
    Box::new(MlsRs {
        client,
        crypto: RustCryptoProvider::new(),
    })
}

/// Accepts every credential. Credential validation is the application's (RFC 9420
/// §5.3.1), and neither our engine nor OpenMLS validates credentials at this level, so
/// only mls-rs's own checks count.
#[derive(Debug, Clone, Copy)]
struct AnyCredential;

impl IdentityProvider for AnyCredential {
    type Error = Infallible;

    fn validate_member(
        &self,
        _signing_identity: &SigningIdentity,
        _timestamp: Option<MlsTime>,
        _context: MemberValidationContext<'_>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    fn validate_external_sender(
        &self,
        _signing_identity: &SigningIdentity,
        _timestamp: Option<MlsTime>,
        _extensions: Option<&ExtensionList>,
    ) -> Result<(), Self::Error> {
        Ok(())
    }

    fn identity(
        &self,
        signing_identity: &SigningIdentity,
        _extensions: &ExtensionList,
    ) -> Result<Vec<u8>, Self::Error> {
        Ok(signing_identity.signature_key.as_bytes().to_vec())
    }

    fn valid_successor(
        &self,
        _predecessor: &SigningIdentity,
        _successor: &SigningIdentity,
        _extensions: &ExtensionList,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }

    fn supported_types(&self) -> Vec<CredentialType> {
        // Basic (1) and X.509 (2), the RFC 9420 credential types (§17.5).
        vec![CredentialType::new(1), CredentialType::new(2)]
    }
}

fn exact<T: MlsDecode>(bytes: &[u8]) -> Verdict {
    Verdict::of(T::mls_decode_exhaustive(bytes))
}

/// The decode level: the type mls-rs reads each structure as, decoded exhaustively.
fn decode(structure: Structure, bytes: &[u8]) -> Verdict {
    match structure {
        Structure::MlsMessage => exact::<MlsMessage>(bytes),
        Structure::RatchetTree => exact::<ExportedTree<'static>>(bytes),
        Structure::Add => exact::<AddProposal>(bytes),
        Structure::Update => exact::<UpdateProposal>(bytes),
        Structure::Remove => exact::<RemoveProposal>(bytes),
        Structure::PreSharedKey => exact::<PreSharedKeyProposal>(bytes),
        Structure::ReInit => exact::<ReInitProposal>(bytes),
        Structure::ExternalInit => exact::<ExternalInit>(bytes),
        // A GroupContextExtensions proposal is `Proposal::GroupContextExtensions(ExtensionList)`.
        Structure::GroupContextExtensions => exact::<ExtensionList>(bytes),
        Structure::GroupSecrets => {
            Verdict::NotApplicable("mls-rs 0.57 keeps GroupSecrets crate-private".into())
        }
        Structure::Commit => {
            Verdict::NotApplicable("mls-rs 0.57 keeps Commit crate-private".into())
        }
    }
}

impl<C: MlsConfig> MlsRs<C> {
    /// The message level: a KeyPackage, in an MLSMessage or as the body of an Add (given
    /// the mls10 key-package MLSMessage header), goes through
    /// `ExternalClient::validate_key_package`, with the clock set to the key package's
    /// own `not_after` so that its lifetime (outside this level) passes whenever
    /// `not_before <= not_after`. Nothing else mls-rs checks on these structures works
    /// without a group.
    fn check(&self, input: &Input) -> Verdict {
        let wrapped;
        let bytes = match input.structure {
            Structure::MlsMessage => &input.bytes[..],
            Structure::Add => {
                wrapped = [&KEY_PACKAGE_MESSAGE_HEADER[..], &input.bytes].concat();
                &wrapped[..]
            }
            _ => return Verdict::Accepted,
        };
        let message = match MlsMessage::from_bytes(bytes) {
            Ok(message) => message,
            Err(e) => return Verdict::Rejected(format!("{e:?}")),
        };
        let Some(key_package) = message.as_key_package() else {
            return Verdict::Accepted;
        };
        if let Some(why) = self.lacks_suite(input) {
            return Verdict::NotApplicable(why);
        }
        let clock = key_package.expiration().ok();
        Verdict::of(self.client.validate_key_package(message, clock))
    }

    fn lacks_suite(&self, input: &Input) -> Option<String> {
        let id = key_package_suite(input)?;
        match self.crypto.cipher_suite_provider(CipherSuite::from(id)) {
            Some(_) => None,
            None => unsupported_suite(id),
        }
    }
}

impl<C: MlsConfig> DecodingEngine for MlsRs<C> {
    fn name(&self) -> &'static str {
        "mls-rs"
    }

    fn judge(&self, input: &Input, level: Level) -> Verdict {
        let decoded = decode(input.structure, &input.bytes);
        match (decoded, level) {
            (Verdict::Accepted, Level::Message) => self.check(input),
            (verdict, _) => verdict,
        }
    }
}
