//! Our engine: `mls_webapi::messages` decoders and the library's own structure-level checks.

use mls_webapi::clock::LifetimeCheck;
use mls_webapi::codec::Codec;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::error::DecodeError;
use mls_webapi::framing::check_content_rules;
use mls_webapi::group;
use mls_webapi::messages::{
    Add, Commit, ExternalInit, GroupContextExtensions, GroupSecrets, KeyPackage, MlsMessage,
    PreSharedKey, ProtocolVersion, RatchetTreeNodes, ReInit, Remove, Update, WireFormat,
};
use mls_webapi::ratchet_tree::{LeafRules, RatchetTree};

use super::{DecodingEngine, unsupported_suite};
use crate::differential::inputs::Input;
use crate::differential::structure::Structure;
use crate::differential::verdict::{Level, Verdict};

/// mls-webapi.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ours;

/// What a decode gave, kept where the message level has more to check.
enum Decoded {
    Message(MlsMessage),
    Tree(RatchetTreeNodes),
    Add(Add),
    /// A structure with no further structure-level check.
    Done,
}

fn done<T>(result: Result<T, DecodeError>) -> Result<Decoded, DecodeError> {
    result.map(|_| Decoded::Done)
}

fn decode(structure: Structure, bytes: &[u8]) -> Result<Decoded, DecodeError> {
    match structure {
        Structure::MlsMessage => MlsMessage::from_bytes(bytes).map(Decoded::Message),
        Structure::RatchetTree => RatchetTreeNodes::from_bytes(bytes).map(Decoded::Tree),
        Structure::GroupSecrets => done(GroupSecrets::from_bytes(bytes)),
        Structure::Add => Add::from_bytes(bytes).map(Decoded::Add),
        Structure::Update => done(Update::from_bytes(bytes)),
        Structure::Remove => done(Remove::from_bytes(bytes)),
        Structure::PreSharedKey => done(PreSharedKey::from_bytes(bytes)),
        Structure::ReInit => done(ReInit::from_bytes(bytes)),
        Structure::ExternalInit => done(ExternalInit::from_bytes(bytes)),
        Structure::GroupContextExtensions => done(GroupContextExtensions::from_bytes(bytes)),
        Structure::Commit => done(Commit::from_bytes(bytes)),
    }
}

/// The structure-level checks: a KeyPackage (alone or in an Add) is validated as
/// §10.1 says, a PublicMessage's content must suit its wire format and sender (§6), and a
/// ratchet tree must have the shape §12.4.3.3 requires.
fn check(decoded: Decoded) -> Verdict {
    match decoded {
        Decoded::Message(MlsMessage::KeyPackage(key_package)) => validate_key_package(&key_package),
        Decoded::Add(add) => validate_key_package(&add.key_package),
        Decoded::Message(MlsMessage::PublicMessage(message)) => Verdict::of(check_content_rules(
            WireFormat::MLS_PUBLIC_MESSAGE,
            &message.content,
        )),
        Decoded::Tree(nodes) => Verdict::of(RatchetTree::from_nodes(nodes)),
        Decoded::Message(_) | Decoded::Done => Verdict::Accepted,
    }
}

/// KeyPackage validation (§10.1) without a group, lifetimes left out: the library's own
/// validator, [`mls_webapi::group::validate_key_package`], the one every Add the engine
/// processes goes through, for a group of the key package's own cipher suite and of
/// version mls10 (the version of the MLSMessage around it, which our decoder only
/// accepts as mls10, §10). Only choosing that suite is ours: an unregistered suite is
/// rejected, a registered one we lacked would be "not applicable".
fn validate_key_package(key_package: &KeyPackage) -> Verdict {
    let suite_id = key_package.cipher_suite.0;
    let suite = match CipherSuite::new(suite_id) {
        Ok(suite) => suite,
        Err(e) => {
            return match unsupported_suite(suite_id) {
                Some(why) => Verdict::NotApplicable(why),
                None => Verdict::Rejected(format!("{e:?}")),
            };
        }
    };
    let rules = LeafRules {
        required_capabilities: None,
        lifetime: LifetimeCheck::Skipped,
    };
    Verdict::of(group::validate_key_package(
        &suite,
        ProtocolVersion::MLS10,
        key_package,
        &rules,
    ))
}

impl DecodingEngine for Ours {
    fn name(&self) -> &'static str {
        "ours"
    }

    fn judge(&self, input: &Input, level: Level) -> Verdict {
        match (decode(input.structure, &input.bytes), level) {
            (Err(e), _) => Verdict::Rejected(format!("{e:?}")),
            (Ok(_), Level::Decode) => Verdict::Accepted,
            (Ok(decoded), Level::Message) => check(decoded),
        }
    }
}
