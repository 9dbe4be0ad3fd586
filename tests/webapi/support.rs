//! What the Web API tests share: an origin with a seeded random source and a clock the
//! test moves, clients, groups built through the API, and the assertion that a failing
//! call leaves the stored state exactly as it was.
#![allow(dead_code)]

use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use mls_webapi::clock::Clock;
use mls_webapi::crypto::SeededRandom;
use mls_webapi::webapi::{
    CommitOutput, DomExceptionName, GroupView, Mls, MlsBytes, ObjectType, Received, WebApiResult,
    epoch_of,
};

/// The time the tests start at (2023-11-14).
pub const NOW: u64 = 1_700_000_000;

/// A clock the test can move.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicU64>);

impl Clock for TestClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl TestClock {
    /// Moves the clock to `t`.
    pub fn set(&self, t: u64) {
        self.0.store(t, Ordering::SeqCst);
    }
}

/// An origin: its `MLS` object and its clock.
pub struct Origin {
    pub mls: Mls,
    pub clock: TestClock,
}

/// A fresh in-memory origin whose randomness comes from `seed`, at [`NOW`].
pub fn origin(seed: u64) -> Origin {
    let clock = TestClock(Arc::new(AtomicU64::new(NOW)));
    let mls = Mls::in_memory("https://example.com")
        .unwrap()
        .with_rng_and_clock(Box::new(SeededRandom::new(seed)), Box::new(clock.clone()));
    Origin { mls, clock }
}

/// A fresh origin stored in `dir`, seeded as [`origin`].
pub fn stored_origin(dir: &std::path::Path, seed: u64) -> Origin {
    let clock = TestClock(Arc::new(AtomicU64::new(NOW)));
    let mls = Mls::open(dir, "https://example.com")
        .unwrap()
        .with_rng_and_clock(Box::new(SeededRandom::new(seed)), Box::new(clock.clone()));
    Origin { mls, clock }
}

/// An identity and a credential.
#[derive(Debug, Clone)]
pub struct Client {
    pub name: String,
    pub id: MlsBytes,
    pub credential: MlsBytes,
}

/// The one origin directory that [`stored_origin`] made under `dir` (spec §9.1).
pub fn only_origin_dir(dir: &std::path::Path) -> std::path::PathBuf {
    let mut entries = std::fs::read_dir(dir).unwrap();
    let origin_dir = entries.next().unwrap().unwrap().path();
    assert!(
        entries.next().is_none(),
        "more than one origin under {dir:?}"
    );
    origin_dir
}

/// A new identity of `mls` with the basic credential `name`.
pub fn client(mls: &Mls, name: &str) -> Client {
    Client {
        name: name.to_owned(),
        id: mls.generate_identity().unwrap(),
        credential: mls.generate_credential(name).unwrap(),
    }
}

/// A new key package of `c`.
pub fn key_package(mls: &Mls, c: &Client) -> MlsBytes {
    mls.generate_key_package(&c.id, &c.credential).unwrap()
}

/// A group of one origin, and each member's view, in the order they joined.
pub struct Group {
    pub clients: Vec<Client>,
    pub views: Vec<GroupView>,
}

impl Group {
    /// The view of the member called `name`.
    pub fn view(&self, name: &str) -> &GroupView {
        let i = self.clients.iter().position(|c| c.name == name).unwrap();
        &self.views[i]
    }

    /// The client called `name`.
    pub fn client(&self, name: &str) -> &Client {
        self.clients.iter().find(|c| c.name == name).unwrap()
    }
}

/// A group of `names`, made in `mls`: the first creates it and adds each other member
/// with one commit, which every member applies; each new member joins from its Welcome.
pub fn group(mls: &Mls, names: &[&str]) -> Group {
    let creator = client(mls, names[0]);
    let view = mls.group_create(&creator.id, &creator.credential).unwrap();
    let mut g = Group {
        clients: vec![creator],
        views: vec![view],
    };
    for name in &names[1..] {
        let c = client(mls, name);
        let kp = key_package(mls, &c);
        let out = g.views[0].add(&kp).unwrap();
        deliver_commit(&g.views, &out);
        let joined = mls
            .group_join(&c.id, out.welcome.as_ref().unwrap())
            .unwrap();
        g.clients.push(c);
        g.views.push(joined);
    }
    g
}

/// Every view receives `out.commit`: the committer's own pending commit, the others'
/// a commit of another member.
pub fn deliver_commit(views: &[GroupView], out: &CommitOutput) {
    for v in views {
        let r = v.receive(&out.commit).unwrap();
        assert_eq!(r.kind, ObjectType::CommitProcessed);
    }
}

/// The epoch of a view's group.
pub fn epoch(view: &GroupView) -> u64 {
    epoch_of(&view.details().unwrap().group_epoch).unwrap()
}

/// The epoch a `"commit-processed"` result reports.
pub fn processed_epoch(r: &Received) -> u64 {
    assert_eq!(r.kind, ObjectType::CommitProcessed);
    epoch_of(r.group_epoch.as_ref().unwrap()).unwrap()
}

/// The error name of a call that must fail.
pub fn error_name<T: Debug>(r: WebApiResult<T>) -> DomExceptionName {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.name,
    }
}

/// Runs `call`, which must fail with `expected`, and checks that the origin's stored
/// state is byte for byte what it was (spec §3.2: a failed call never changes stored
/// state).
#[track_caller]
pub fn fails_unchanged<T: Debug>(
    mls: &Mls,
    expected: DomExceptionName,
    call: impl FnOnce() -> WebApiResult<T>,
) {
    let before = mls.state_snapshot().unwrap();
    match call() {
        Ok(v) => panic!("expected {expected}, got {v:?}"),
        Err(e) => assert_eq!(e.name, expected, "{e}"),
    }
    let after = mls.state_snapshot().unwrap();
    assert!(before == after, "a failed call changed the stored state");
}

/// Runs `call`, which must succeed, and checks that it wrote nothing.
#[track_caller]
pub fn writes_nothing<T>(mls: &Mls, call: impl FnOnce() -> WebApiResult<T>) -> T {
    let before = mls.state_snapshot().unwrap();
    let value = call().unwrap_or_else(|e| panic!("unexpected error: {e}"));
    let after = mls.state_snapshot().unwrap();
    assert!(before == after, "a reading call changed the stored state");
    value
}

/// `bytes` with one byte flipped at `at`.
pub fn flipped(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= 0x01;
    b
}

/// Typed bytes of another type than a parameter expects.
pub fn retyped(b: &MlsBytes, kind: ObjectType) -> MlsBytes {
    MlsBytes::new(kind, b.content.clone())
}

/// Bytes that are no MLS structure at all.
pub const GARBAGE: &[u8] = &[0xde, 0xad, 0xbe, 0xef, 0x00, 0x17];

/// `b` without its last byte.
pub fn truncated(b: &[u8]) -> Vec<u8> {
    b[..b.len() - 1].to_vec()
}

/// `b` followed by one more byte.
pub fn with_trailing_byte(b: &[u8]) -> Vec<u8> {
    let mut v = b.to_vec();
    v.push(0);
    v
}

/// `b` with its protocol version changed to 0x0002.
pub fn other_version(b: &[u8]) -> Vec<u8> {
    let mut v = b.to_vec();
    v[1] = 2;
    v
}

/// A key package made outside the Web API: cipher suite `suite`, basic credential
/// `name`, the lifetime `[not_before, not_after]`.
pub fn foreign_key_package(suite: u16, name: &str, not_before: u64, not_after: u64) -> Vec<u8> {
    use mls_webapi::codec::Codec;
    use mls_webapi::crypto::CipherSuite;
    use mls_webapi::group::{KeyPackageBundle, LeafOptions};
    use mls_webapi::messages::{Credential, Lifetime, MlsMessage};
    let suite = CipherSuite::new(suite).unwrap();
    let mut rng = SeededRandom::new(u64::from(suite.id()) + 1000);
    let (signer, _) = suite.generate_signature_key_pair(&mut rng).unwrap();
    let options = LeafOptions::new(
        &suite,
        Credential::Basic {
            identity: name.as_bytes().to_vec(),
        },
        Lifetime {
            not_before,
            not_after,
        },
    );
    let bundle = KeyPackageBundle::new(&suite, signer, &options, &mut rng).unwrap();
    MlsMessage::KeyPackage(bundle.key_package).to_bytes()
}

/// A member implemented directly with the protocol engine, as another implementation
/// would be: it can send what the Web API never sends (PrivateMessage handshakes,
/// Updates, PSK and GroupContextExtensions proposals, key packages of its choosing).
pub struct Peer {
    pub group: mls_webapi::group::Group,
    pub rng: SeededRandom,
}

/// A key package bundle of an engine peer called `name`, valid `[not_before,
/// not_after]`.
pub fn peer_bundle(
    name: &str,
    seed: u64,
    not_before: u64,
    not_after: u64,
) -> mls_webapi::group::KeyPackageBundle {
    use mls_webapi::crypto::CipherSuite;
    use mls_webapi::group::{KeyPackageBundle, LeafOptions};
    use mls_webapi::messages::{Credential, Lifetime};
    let suite = CipherSuite::new(1).unwrap();
    let mut rng = SeededRandom::new(seed);
    let (signer, _) = suite.generate_signature_key_pair(&mut rng).unwrap();
    let options = LeafOptions::new(
        &suite,
        Credential::Basic {
            identity: name.as_bytes().to_vec(),
        },
        Lifetime {
            not_before,
            not_after,
        },
    );
    KeyPackageBundle::new(&suite, signer, &options, &mut rng).unwrap()
}

/// The `MLSMessage` bytes of a bundle's key package.
pub fn bundle_bytes(bundle: &mls_webapi::group::KeyPackageBundle) -> Vec<u8> {
    use mls_webapi::codec::Codec;
    mls_webapi::messages::MlsMessage::KeyPackage(bundle.key_package.clone()).to_bytes()
}

impl Peer {
    /// The engine configuration of a peer: lifetimes unchecked, handshakes as
    /// PrivateMessages if `private`.
    pub fn config(private: bool) -> mls_webapi::group::GroupConfig {
        use mls_webapi::group::{GroupConfig, LifetimePolicy};
        use mls_webapi::messages::WireFormat;
        GroupConfig {
            lifetime: LifetimePolicy::Skip,
            handshake_wire_format: if private {
                WireFormat::MLS_PRIVATE_MESSAGE
            } else {
                WireFormat::MLS_PUBLIC_MESSAGE
            },
            ..GroupConfig::default()
        }
    }

    /// The peer of `bundle` joins from `welcome` (bytes of an `MLSMessage`).
    pub fn join(
        welcome: &[u8],
        bundle: mls_webapi::group::KeyPackageBundle,
        private: bool,
        seed: u64,
    ) -> Peer {
        use mls_webapi::codec::Codec;
        use mls_webapi::messages::MlsMessage;
        let MlsMessage::Welcome(w) = MlsMessage::from_bytes(welcome).unwrap() else {
            panic!("not a Welcome");
        };
        let clock = mls_webapi::clock::FixedClock(NOW);
        let group = mls_webapi::group::join(
            &w,
            &bundle.into(),
            None,
            &mls_webapi::group::no_psks,
            Self::config(private),
            &clock,
        )
        .unwrap();
        Peer {
            group,
            rng: SeededRandom::new(seed),
        }
    }

    /// The peer processes `message` and keeps the group it returns.
    pub fn receive(&mut self, message: &[u8]) -> mls_webapi::group::Processed {
        use mls_webapi::codec::Codec;
        let m = mls_webapi::messages::MlsMessage::from_bytes(message).unwrap();
        let clock = mls_webapi::clock::FixedClock(NOW);
        let (processed, group) = self
            .group
            .process(&m, &mls_webapi::group::no_psks, &clock)
            .unwrap();
        self.group = group;
        processed
    }

    /// The peer commits `proposals` by value (and nothing by reference); returns the
    /// commit's bytes and keeps the pending commit's next epoch.
    pub fn commit(
        &mut self,
        proposals: Vec<mls_webapi::messages::Proposal>,
        psks: mls_webapi::group::PskLookup<'_>,
    ) -> (Vec<u8>, Option<Vec<u8>>) {
        use mls_webapi::codec::Codec;
        use mls_webapi::group::{ByReference, CommitOptions};
        let options = CommitOptions {
            proposals,
            by_reference: ByReference::None,
            force_path: true,
            ..CommitOptions::default()
        };
        let clock = mls_webapi::clock::FixedClock(NOW);
        let pending = self
            .group
            .commit(&options, psks, &clock, &mut self.rng)
            .unwrap();
        let commit = pending.message.to_bytes();
        let welcome = pending.welcome.as_ref().map(Codec::to_bytes);
        self.group = pending.merge();
        (commit, welcome)
    }

    /// The peer sends application data.
    pub fn send(&mut self, data: &[u8]) -> Vec<u8> {
        use mls_webapi::codec::Codec;
        let (m, group) = self
            .group
            .encrypt_application(data, b"", &mut self.rng)
            .unwrap();
        self.group = group;
        m.to_bytes()
    }
}

/// A group of Web API members `names` (in `mls`) and one engine peer, added last.
pub fn group_with_peer(mls: &Mls, names: &[&str], private: bool) -> (Group, Peer) {
    let g = group(mls, names);
    let bundle = peer_bundle("peer", 77, 0, u64::MAX);
    let out = g.views[0].add(bundle_bytes(&bundle)).unwrap();
    deliver_commit(&g.views, &out);
    let peer = Peer::join(out.welcome.as_ref().unwrap(), bundle, private, 78);
    (g, peer)
}

/// `committer` adds a fresh client called `name`, who never joins: a commit that moves
/// the epoch on without removing anyone. Nobody has applied it yet.
pub fn add_stranger(mls: &Mls, committer: &GroupView, name: &str) -> CommitOutput {
    let c = client(mls, name);
    committer.add(key_package(mls, &c)).unwrap()
}
