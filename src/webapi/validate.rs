//! Checks the Web API makes on what peers send: *validate-key-package* (spec §6.3,
//! **kp.1**–**kp.6**: the library's RFC 9420 §10.1 validation with the Web API's policy on
//! top), the capability rules of §5.1, and client ids (§5.4).
//!
//! Every failure here is an `OperationError`.

use std::collections::BTreeSet;

use crate::clock::{FixedClock, LifetimeCheck};
use crate::crypto::{CipherSuite, SignaturePublicKey};
use crate::messages::{
    CipherSuiteId, Credential, CredentialType, KeyPackage, LeafNode, ProtocolVersion,
};
use crate::ratchet_tree::{LeafRules, RequiredCapabilities};
use crate::tree_math::LeafIndex;

use super::error::{WebApiError, WebApiResult};
use crate::group::Group;

/// The one cipher suite of the Web API (spec §5.1).
pub const SUITE_ID: u16 = 0x0001;

/// The cipher suite 0x0001.
pub fn suite() -> CipherSuite {
    match CipherSuite::new(SUITE_ID) {
        Ok(suite) => suite,
        // The engine supports suites 1 to 7 in every build.
        Err(_) => unreachable!("cipher suite 0x0001 is always supported"),
    }
}

/// A member's client id: SHA-256 of the raw signature public key (spec §5.4).
pub fn client_id_of(key: &SignaturePublicKey) -> Vec<u8> {
    suite().hash(&key.0)
}

/// The leaf of the member whose client id is `client_id`, if there is one.
pub fn leaf_of_client(group: &Group, client_id: &[u8]) -> Option<LeafIndex> {
    group
        .members()
        .find(|(_, leaf)| client_id_of(&leaf.signature_key) == client_id)
        .map(|(index, _)| index)
}

fn invalid(why: &str) -> WebApiError {
    WebApiError::operation(format!("invalid key package or leaf: {why}"))
}

/// The capability rules of spec §5.1 that every leaf must meet, and basic credentials
/// only: no default extension type (1–5) or default proposal type (1–7) listed.
pub fn check_leaf_rules(leaf: &LeafNode) -> WebApiResult<()> {
    if !matches!(leaf.credential, Credential::Basic { .. }) {
        return Err(invalid("only basic credentials are supported"));
    }
    let capabilities = &leaf.capabilities;
    // RFC 9420 §17.3 and §17.4: the extension and proposal types of the RFC itself.
    if capabilities
        .extensions
        .iter()
        .any(|t| (1..=5).contains(&t.0))
    {
        return Err(invalid("the capabilities list a default extension type"));
    }
    if capabilities
        .proposals
        .iter()
        .any(|t| (1..=7).contains(&t.0))
    {
        return Err(invalid("the capabilities list a default proposal type"));
    }
    Ok(())
}

/// *validate-key-package(M, S, removed)* (spec §6.3) for a key package that would join
/// `group`, next to `other_adds` of the same commit, when the leaves in `removed` leave:
/// RFC 9420 §10.1 as the library checks it ([`crate::group::validate_key_package`]), with
/// the group's `required_capabilities` and the lifetime at `now`, then the Web API's
/// stricter policy on top.
pub fn validate_key_package(
    key_package: &KeyPackage,
    group: &Group,
    removed: &BTreeSet<LeafIndex>,
    other_adds: &[&KeyPackage],
    now: u64,
) -> WebApiResult<()> {
    let context = group.group_context();
    let required = RequiredCapabilities::from_extensions(&context.extensions)
        .map_err(|e| invalid(&e.to_string()))?;
    let clock = FixedClock(now);
    let rules = LeafRules {
        // spec: kp.4 (the group's required_capabilities)
        required_capabilities: required.as_ref(),
        // spec: kp.5
        lifetime: LifetimeCheck::Against(&clock),
    };
    // spec: kp.1, kp.2, kp.3 (init key), kp.4 (leaf extensions listed), kp.5: RFC 9420
    // §10.1 and §7.3, the library's one implementation. The group's suite is 0x0001 and
    // its version mls10, the version every decoded MLSMessage has.
    crate::group::validate_key_package(&suite(), context.version, key_package, &rules)
        .map_err(|e| invalid(&e.to_string()))?;
    let leaf = &key_package.leaf_node;
    // spec: kp.3 (public keys valid for the suite: X25519 and Ed25519 keys are 32 bytes)
    let x25519 = |key: &[u8]| key.len() == 32;
    if !x25519(&key_package.init_key.0)
        || !x25519(&leaf.encryption_key.0)
        || leaf.signature_key.0.len() != 32
    {
        return Err(invalid("a public key is not valid for the cipher suite"));
    }
    // spec: kp.4 (the Web API's policy)
    check_leaf_rules(leaf)?;
    let capabilities = &leaf.capabilities;
    if !capabilities.versions.contains(&ProtocolVersion::MLS10)
        || !capabilities
            .cipher_suites
            .contains(&CipherSuiteId(SUITE_ID))
        || !capabilities.credentials.contains(&CredentialType::BASIC)
    {
        return Err(invalid(
            "the capabilities must list mls10, 0x0001 and basic",
        ));
    }
    // spec: kp.6
    let staying = group
        .members()
        .filter(|(index, _)| !removed.contains(index))
        .map(|(_, member)| member);
    for other in staying.chain(other_adds.iter().map(|kp| &kp.leaf_node)) {
        if other.signature_key == leaf.signature_key {
            return Err(invalid("its signature key is already in use"));
        }
        if other.encryption_key == leaf.encryption_key {
            return Err(invalid("its encryption key is already in use"));
        }
        if other.credential == leaf.credential {
            return Err(invalid("its identity is already in use"));
        }
    }
    Ok(())
}
