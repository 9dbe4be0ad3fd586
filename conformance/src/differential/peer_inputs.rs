//! Inputs the vectors lack, made by the peer engines in one short scripted run: fresh key
//! packages with valid lifetimes and signatures, a PrivateMessage commit and Welcome from
//! OpenMLS, PublicMessage proposals and commits from mls-rs, GroupInfos with
//! `external_pub`, exported ratchet trees, and application messages from both.
//!
//! The bytes differ from run to run (fresh keys and randomness), so these inputs are
//! never mutated: a mutant's fate could depend on the random bytes around it. Their ids
//! are `peers/<engine>/<what>`.
//!
//! | Step | Inputs |
//! |---|---|
//! | OpenMLS alice, mls-rs bob and OpenMLS carol publish key packages | `peers/mls-rs/key_package`, `peers/openmls/key_package` |
//! | alice creates the group and commits an Add of bob (tree in the Welcome) | `peers/openmls/commit`, `peers/openmls/welcome` |
//! | alice exports a GroupInfo and the tree | `peers/openmls/group_info`, `peers/openmls/ratchet_tree` |
//! | bob proposes adding carol and commits it (tree out of band) | `peers/mls-rs/proposal`, `peers/mls-rs/commit`, `peers/mls-rs/welcome` |
//! | bob exports a GroupInfo (no tree) and the tree | `peers/mls-rs/group_info`, `peers/mls-rs/ratchet_tree` |
//! | alice and bob each send an application message | `peers/openmls/application`, `peers/mls-rs/application` |

use super::inputs::Input;
use super::structure::Structure;
use crate::driver::{CIPHER_SUITE_1, Client, CommitRequest, DriverError, Engine, TreeDelivery};
use crate::drivers::{MlsRs, OpenMls};

/// The messages of the scripted run, or the first driver error (which names the engine
/// and operation).
pub fn from_peer_run() -> Result<Vec<Input>, String> {
    script().map_err(|e| format!("scripted peer run: {e}"))
}

fn client(engine: &dyn Engine, name: &str) -> Result<Box<dyn Client>, DriverError> {
    engine.new_client(name.as_bytes(), CIPHER_SUITE_1)
}

fn script() -> Result<Vec<Input>, DriverError> {
    let mut out = Vec::new();
    let mut keep = |engine: &str, what: &str, structure: Structure, bytes: Vec<u8>| {
        out.push(Input {
            id: format!("peers/{engine}/{what}"),
            structure,
            bytes,
        });
    };
    let message = Structure::MlsMessage;

    let mut alice = client(&OpenMls, "alice")?;
    let mut bob = client(&MlsRs, "bob")?;
    let mut carol = client(&OpenMls, "carol")?;
    let bob_key_package = bob.key_package()?;
    let carol_key_package = carol.key_package()?;
    keep("mls-rs", "key_package", message, bob_key_package.clone());
    keep("openmls", "key_package", message, carol_key_package.clone());

    alice.create_group(b"decoding differential")?;
    let added_bob = alice.commit(&CommitRequest {
        add: vec![bob_key_package],
        tree: TreeDelivery::InExtension,
        ..CommitRequest::default()
    })?;
    alice.apply_pending_commit()?;
    let welcome = added_bob.welcome.ok_or_else(|| {
        DriverError::failed("openmls", "commit", "adding a member gave no Welcome")
    })?;
    bob.join_from_welcome(&welcome, None)?;
    keep("openmls", "commit", message, added_bob.commit);
    keep("openmls", "welcome", message, welcome);
    keep(
        "openmls",
        "group_info",
        message,
        alice.group_info(TreeDelivery::InExtension)?,
    );
    keep(
        "openmls",
        "ratchet_tree",
        Structure::RatchetTree,
        alice.ratchet_tree()?,
    );

    let proposal = bob.propose_add(&carol_key_package)?;
    alice.process_handshake(&proposal)?;
    let added_carol = bob.commit(&CommitRequest {
        tree: TreeDelivery::OutOfBand,
        ..CommitRequest::default()
    })?;
    bob.apply_pending_commit()?;
    alice.process_handshake(&added_carol.commit)?;
    keep("mls-rs", "proposal", message, proposal);
    keep("mls-rs", "commit", message, added_carol.commit);
    if let Some(welcome) = added_carol.welcome {
        keep("mls-rs", "welcome", message, welcome);
    }
    keep(
        "mls-rs",
        "group_info",
        message,
        bob.group_info(TreeDelivery::OutOfBand)?,
    );
    keep(
        "mls-rs",
        "ratchet_tree",
        Structure::RatchetTree,
        bob.ratchet_tree()?,
    );

    keep(
        "openmls",
        "application",
        message,
        alice.protect(b"from alice")?,
    );
    keep("mls-rs", "application", message, bob.protect(b"from bob")?);
    Ok(out)
}
