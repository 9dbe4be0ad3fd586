//! OpenMLS 0.9: `tls_codec` decoders of its public `-In` types, and
//! `KeyPackageIn::validate` as the structure-level check of a KeyPackage.

use openmls::prelude::tls_codec::Deserialize as _;
use openmls::prelude::{
    AddProposalIn, Ciphersuite, ExternalInitProposal, GroupContextExtensionProposalIn,
    KeyPackageIn, KeyPackageVerifyError, MlsMessageBodyIn, MlsMessageIn, PreSharedKeyProposal,
    ProtocolVersion, RatchetTreeIn, ReInitProposal, RemoveProposal, UpdateProposalIn,
};
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;
use openmls_traits::crypto::OpenMlsCrypto as _;

use super::{DecodingEngine, key_package_suite, unsupported_suite};
use crate::differential::inputs::Input;
use crate::differential::structure::Structure;
use crate::differential::verdict::{Level, Verdict};

/// OpenMLS, with the RustCrypto provider (suites 1, 2 and 3).
#[derive(Default)]
pub struct OpenMls {
    provider: OpenMlsRustCrypto,
}

fn exact<T: openmls::prelude::tls_codec::Deserialize>(bytes: &[u8]) -> Verdict {
    Verdict::of(T::tls_deserialize_exact(bytes))
}

/// The decode level: the type OpenMLS reads each structure as.
fn decode(structure: Structure, bytes: &[u8]) -> Verdict {
    match structure {
        Structure::MlsMessage => exact::<MlsMessageIn>(bytes),
        Structure::RatchetTree => exact::<RatchetTreeIn>(bytes),
        Structure::Add => exact::<AddProposalIn>(bytes),
        Structure::Update => exact::<UpdateProposalIn>(bytes),
        Structure::Remove => exact::<RemoveProposal>(bytes),
        Structure::PreSharedKey => exact::<PreSharedKeyProposal>(bytes),
        Structure::ReInit => exact::<ReInitProposal>(bytes),
        Structure::ExternalInit => exact::<ExternalInitProposal>(bytes),
        Structure::GroupContextExtensions => exact::<GroupContextExtensionProposalIn>(bytes),
        Structure::GroupSecrets => {
            Verdict::NotApplicable("OpenMLS 0.9 keeps GroupSecrets crate-private".into())
        }
        Structure::Commit => {
            Verdict::NotApplicable("OpenMLS 0.9 keeps Commit and CommitIn crate-private".into())
        }
    }
}

impl OpenMls {
    /// The message level: a KeyPackage, alone in an MLSMessage or as the body of an Add
    /// (whose encoding is exactly the KeyPackage's), goes through `KeyPackageIn::validate`.
    /// Nothing else OpenMLS checks on these structures works without a group.
    fn check(&self, input: &Input) -> Verdict {
        let bytes = &input.bytes;
        let key_package = match input.structure {
            Structure::MlsMessage => match MlsMessageIn::tls_deserialize_exact(bytes) {
                Ok(message) => match message.extract() {
                    MlsMessageBodyIn::KeyPackage(key_package) => key_package,
                    _ => return Verdict::Accepted,
                },
                Err(e) => return Verdict::Rejected(format!("{e:?}")),
            },
            Structure::Add => match KeyPackageIn::tls_deserialize_exact(bytes) {
                Ok(key_package) => key_package,
                Err(e) => return Verdict::Rejected(format!("{e:?}")),
            },
            _ => return Verdict::Accepted,
        };
        if let Some(why) = self.lacks_suite(input) {
            return Verdict::NotApplicable(why);
        }
        match key_package.validate(self.provider.crypto(), ProtocolVersion::Mls10) {
            Ok(_) => Verdict::Accepted,
            // The lifetime is the last thing `validate` checks, against the system clock;
            // lifetimes are outside this level, and every other check has passed.
            Err(KeyPackageVerifyError::LifetimeError(_)) => Verdict::Accepted,
            Err(e) => Verdict::Rejected(format!("{e:?}")),
        }
    }

    /// Why the key package's suite cannot be judged here: it is registered, but the
    /// provider does not implement it.
    fn lacks_suite(&self, input: &Input) -> Option<String> {
        let id = key_package_suite(input)?;
        let supported = Ciphersuite::try_from(id)
            .ok()
            .is_some_and(|suite| self.provider.crypto().supports(suite).is_ok());
        if supported {
            None
        } else {
            unsupported_suite(id)
        }
    }
}

impl DecodingEngine for OpenMls {
    fn name(&self) -> &'static str {
        "openmls"
    }

    fn judge(&self, input: &Input, level: Level) -> Verdict {
        let decoded = decode(input.structure, &input.bytes);
        match (decoded, level) {
            (Verdict::Accepted, Level::Message) => self.check(input),
            (verdict, _) => verdict,
        }
    }
}
