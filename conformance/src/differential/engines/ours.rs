//! Our engine: `mls_webapi::messages` decoders and the library's structure-level checks.

use mls_webapi::clock::LifetimeCheck;
use mls_webapi::codec::Codec;
use mls_webapi::crypto::CipherSuite;
use mls_webapi::error::DecodeError;
use mls_webapi::framing::check_content_rules;
use mls_webapi::messages::{
    Add, Commit, ExternalInit, GroupContextExtensions, GroupSecrets, KeyPackage, MlsMessage,
    PreSharedKey, ProtocolVersion, RatchetTreeNodes, ReInit, Remove, Update, WireFormat,
};
use mls_webapi::ratchet_tree::{
    LeafNodeContext, LeafRules, RatchetTree, check_leaf_node_contents, verify_leaf_signature,
};

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

/// KeyPackage validation (§10.1) without a group, lifetimes left out.
///
/// The library has no single entry point for this yet, so it is put together here from
/// the library's parts, in the order of §10.1:
///
/// 1. the version is mls10 (the version of the MLSMessage around it, which our decoder
///    only accepts as mls10, §10; and the only version a GroupContext can have);
/// 2. the cipher suite is one we implement (needed to verify anything; an unregistered
///    suite is rejected, a registered one we lacked would be "not applicable");
/// 3. the leaf node is valid for a KeyPackage (§7.3: source, credential type and
///    extensions in the capabilities, unique extensions; then its signature);
/// 4. the KeyPackage's extensions are listed in the leaf's capabilities (§10);
/// 5. the KeyPackage signature verifies with the leaf's signature key (§10.1);
/// 6. `init_key` differs from the leaf's `encryption_key` (§10.1).
fn validate_key_package(key_package: &KeyPackage) -> Verdict {
    if key_package.version != ProtocolVersion::MLS10 {
        return Verdict::Rejected(format!(
            "KeyPackage.version {:#06x} is not mls10",
            key_package.version.0
        ));
    }
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
    let leaf = &key_package.leaf_node;
    let rules = LeafRules {
        required_capabilities: None,
        lifetime: LifetimeCheck::Skipped,
    };
    let context = LeafNodeContext::KeyPackage;
    if let Err(e) = check_leaf_node_contents(leaf, &context, &rules) {
        return Verdict::Rejected(format!("{e:?}"));
    }
    if let Err(e) = verify_leaf_signature(&suite, leaf, &context) {
        return Verdict::Rejected(format!("{e:?}"));
    }
    if let Some(unlisted) = key_package
        .extensions
        .iter()
        .find(|e| !leaf.capabilities.extensions.contains(&e.extension_type))
    {
        return Verdict::Rejected(format!(
            "KeyPackage extension {:?} is not in the leaf's capabilities",
            unlisted.extension_type
        ));
    }
    let signed = suite.verify_with_label(
        &leaf.signature_key.0,
        b"KeyPackageTBS",
        &key_package.to_be_signed(),
        &key_package.signature,
    );
    if let Err(e) = signed {
        return Verdict::Rejected(format!("KeyPackage signature: {e:?}"));
    }
    if key_package.init_key == leaf.encryption_key {
        return Verdict::Rejected("init_key equals leaf_node.encryption_key".into());
    }
    Verdict::Accepted
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
