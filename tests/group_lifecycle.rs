//! A group's life from creation through many epochs (RFC 9420 §11, §12, §15), driven
//! through the public API the way an application would, with a tiny in-test delivery
//! service: every commit is delivered to every other member, the committer merges its
//! pending commit, new members join from the Welcome, external joiners from a GroupInfo.
//!
//! After every commit every member must hold the same epoch, epoch authenticator,
//! exporter output and tree. Every epoch carries application messages, some delivered
//! out of order. A removed member must fail to read anything sent after its removal.
//! Randomness and time are fixed (`SeededRandom`, `FixedClock`), so runs are
//! deterministic.

use std::time::Instant;

use mls_webapi::clock::FixedClock;
use mls_webapi::crypto::{CipherSuite, Secret, SeededRandom, SignaturePrivateKey};
use mls_webapi::error::{Error, ProtocolViolation};
use mls_webapi::group::{
    ByReference, CommitOptions, CommitSummary, ExternalCommitOptions, Group, GroupConfig,
    GroupInfoOptions, GroupViolation, JoinKeys, KeyPackageBundle, LeafOptions, PendingCommit,
    Processed, SentProposal, join, join_by_external_commit,
};
use mls_webapi::messages::{
    Add, Credential, Lifetime, MlsMessage, PreSharedKey, PreSharedKeyId, Proposal, PskSource,
    Remove, ResumptionPskUsage, WireFormat,
};
use mls_webapi::secret_tree::RatchetPolicy;
use mls_webapi::tree_math::LeafIndex;

/// The external PSK every member (and joiner) holds.
const PSK_ID: &[u8] = b"lifecycle psk";

/// The application's PSK store: the one external PSK.
fn psks(id: &PreSharedKeyId) -> Option<Secret> {
    match &id.psk {
        PskSource::External { psk_id } if psk_id == PSK_ID => Some(Secret::new(vec![0x42; 32])),
        _ => None,
    }
}

fn suite() -> CipherSuite {
    CipherSuite::new(1).unwrap()
}

/// A member of the group, as the delivery service knows it.
struct Member {
    name: String,
    group: Group,
}

/// The group's members, what the tests need to make new clients, and the members that
/// were removed (with the last state they had).
struct World {
    rng: SeededRandom,
    clock: FixedClock,
    members: Vec<Member>,
    removed: Vec<Member>,
    clients_made: usize,
    stats: Stats,
}

/// What the commits delivered so far did, to show that the schedule covers every kind
/// of change.
#[derive(Debug, Default)]
struct Stats {
    commits: usize,
    with_path: usize,
    without_path: usize,
    as_private_message: usize,
    by_reference: usize,
    added: usize,
    removed: usize,
    updated: usize,
    psks: usize,
    external_joins: usize,
    resyncs: usize,
    messages_read: usize,
}

impl Stats {
    fn record(&mut self, message: &MlsMessage, summary: &CommitSummary, by_reference: bool) {
        self.commits += 1;
        if summary.has_path {
            self.with_path += 1;
        } else {
            self.without_path += 1;
        }
        if matches!(message, MlsMessage::PrivateMessage(_)) {
            self.as_private_message += 1;
        }
        self.by_reference += usize::from(by_reference);
        self.added += summary.added.len();
        self.removed += summary.removed.len();
        self.updated += summary.updated.len();
        self.psks += summary.psks;
    }
}

/// The configuration of the n-th client: every third sends its handshakes as
/// PrivateMessages.
fn config_for(n: usize) -> GroupConfig {
    GroupConfig {
        handshake_wire_format: if n % 3 == 2 {
            WireFormat::MLS_PRIVATE_MESSAGE
        } else {
            WireFormat::MLS_PUBLIC_MESSAGE
        },
        ..GroupConfig::default()
    }
}

fn leaf_options(name: &str) -> LeafOptions {
    LeafOptions::new(
        &suite(),
        Credential::Basic {
            identity: name.as_bytes().to_vec(),
        },
        Lifetime {
            not_before: 0,
            not_after: u64::MAX,
        },
    )
}

impl World {
    /// A group created by "m0".
    fn new(seed: u64) -> World {
        let mut world = World {
            rng: SeededRandom::new(seed),
            clock: FixedClock(1_700_000_000),
            members: Vec::new(),
            removed: Vec::new(),
            clients_made: 0,
            stats: Stats::default(),
        };
        let (name, bundle, config) = world.new_client();
        let group = Group::create(
            bundle,
            b"lifecycle".to_vec(),
            Vec::new(),
            config,
            &world.clock,
            &mut world.rng,
        )
        .unwrap();
        world.members.push(Member { name, group });
        world
    }

    /// A new client's name, KeyPackage bundle and configuration.
    fn new_client(&mut self) -> (String, KeyPackageBundle, GroupConfig) {
        let (name, signer, config) = self.new_signer();
        let bundle =
            KeyPackageBundle::new(&suite(), signer, &leaf_options(&name), &mut self.rng).unwrap();
        (name, bundle, config)
    }

    /// A new client's name, signature key and configuration.
    fn new_signer(&mut self) -> (String, SignaturePrivateKey, GroupConfig) {
        let n = self.clients_made;
        self.clients_made += 1;
        let name = format!("m{n}");
        let (signer, _) = suite().generate_signature_key_pair(&mut self.rng).unwrap();
        (name, signer, config_for(n))
    }

    fn len(&self) -> usize {
        self.members.len()
    }

    fn epoch(&self) -> u64 {
        self.members[0].group.epoch()
    }

    /// The leaf of the member at position `i` of the list.
    fn leaf(&self, i: usize) -> LeafIndex {
        self.members[i].group.own_leaf_index()
    }

    /// Member `i` sends a proposal; everyone else caches it.
    fn propose(&mut self, i: usize, send: impl FnOnce(&Group, &mut SeededRandom) -> SentProposal) {
        let sent = send(&self.members[i].group, &mut self.rng);
        for (j, m) in self.members.iter_mut().enumerate() {
            if j == i {
                continue;
            }
            let (processed, group) = m.group.process(&sent.message, &psks, &self.clock).unwrap();
            match processed {
                Processed::Proposal(p) => assert_eq!(p.reference, sent.reference),
                other => panic!("{} expected a proposal, got {other:?}", m.name),
            }
            m.group = group;
        }
        self.members[i].group = sent.group;
    }

    /// Member `i` commits with `options`; the commit is delivered to everyone, the
    /// joiners of its Welcome join, and agreement is checked.
    fn commit(
        &mut self,
        i: usize,
        options: CommitOptions,
        joiners: Vec<(String, KeyPackageBundle, GroupConfig)>,
    ) {
        let pending = self.members[i]
            .group
            .commit(&options, &psks, &self.clock, &mut self.rng)
            .unwrap();
        self.deliver(i, pending, joiners);
    }

    fn deliver(
        &mut self,
        i: usize,
        pending: PendingCommit,
        joiners: Vec<(String, KeyPackageBundle, GroupConfig)>,
    ) {
        let epoch_before = self.epoch();
        let by_reference = !self.members[i].group.pending_proposals().is_empty();
        let mut summary = None;
        self.reject_at_removed(&pending.message);
        let mut stayed = Vec::new();
        let members = std::mem::take(&mut self.members);
        let mut committer = None;
        for (j, mut m) in members.into_iter().enumerate() {
            if j == i {
                committer = Some(stayed.len());
                stayed.push(m);
                continue;
            }
            let (processed, group) = m
                .group
                .process(&pending.message, &psks, &self.clock)
                .unwrap();
            match processed {
                Processed::Commit(s) => {
                    assert_eq!(s.epoch, epoch_before + 1);
                    summary = Some(s);
                    m.group = group;
                    stayed.push(m);
                }
                Processed::Removed(_) => self.removed.push(m),
                other => panic!("{} expected a commit, got {other:?}", m.name),
            }
        }
        self.members = stayed;
        let c = committer.unwrap();
        let welcome = pending.welcome.clone();
        let pending_message = pending.message.clone();
        self.members[c].group = pending.merge();

        match (welcome, joiners.is_empty()) {
            (Some(MlsMessage::Welcome(welcome)), false) => {
                for (name, bundle, config) in joiners {
                    let keys: JoinKeys = bundle.into();
                    let group = join(&welcome, &keys, None, &psks, config, &self.clock).unwrap();
                    self.members.push(Member { name, group });
                }
            }
            (None, true) => {}
            (w, _) => panic!("Welcome and joiners disagree: {:?}", w.is_some()),
        }
        match summary {
            Some(summary) => self.stats.record(&pending_message, &summary, by_reference),
            // The creator alone: nobody else saw the commit.
            None => self.stats.commits += 1,
        }
        self.check_agreement();
    }

    /// A new client joins by external commit from member `i`'s GroupInfo, optionally
    /// removing the old appearance of member `resync` (who must then be gone).
    fn external_join(&mut self, i: usize, resync: Option<usize>) {
        let group_info = self.members[i]
            .group
            .group_info(GroupInfoOptions {
                ratchet_tree: true,
                external_pub: true,
            })
            .unwrap();
        let (name, signer, options, config) = match resync {
            Some(r) => {
                // The same client, with a fresh signature key, back under its own name.
                let name = self.members[r].name.clone();
                let (signer, _) = suite().generate_signature_key_pair(&mut self.rng).unwrap();
                (name.clone(), signer, leaf_options(&name), config_for(0))
            }
            None => {
                let (name, signer, config) = self.new_signer();
                (name.clone(), signer, leaf_options(&name), config)
            }
        };
        let external = ExternalCommitOptions {
            remove_old_self: resync.map(|r| self.leaf(r)),
            psks: vec![PskSource::External {
                psk_id: PSK_ID.to_vec(),
            }],
            authenticated_data: b"hello".to_vec(),
        };
        let joined = join_by_external_commit(
            &group_info,
            None,
            signer,
            &options,
            &external,
            &psks,
            config,
            &self.clock,
            &mut self.rng,
        )
        .unwrap();
        let epoch_before = self.epoch();
        self.reject_at_removed(&joined.message);
        let members = std::mem::take(&mut self.members);
        let mut summary = None;
        for mut m in members {
            let (processed, group) = m
                .group
                .process(&joined.message, &psks, &self.clock)
                .unwrap();
            match processed {
                Processed::Commit(s) => {
                    assert_eq!(s.epoch, epoch_before + 1);
                    assert_eq!(s.committer_leaf, joined.next.own_leaf_index());
                    summary = Some(s);
                    m.group = group;
                    self.members.push(m);
                }
                Processed::Removed(_) => {
                    assert!(resync.is_some(), "only a resync removes someone");
                    m.name.push_str(" (old)");
                    self.removed.push(m);
                }
                other => panic!("{} expected a commit, got {other:?}", m.name),
            }
        }
        self.members.push(Member {
            name,
            group: joined.next,
        });
        let summary = summary.expect("someone processed the commit");
        self.stats.record(&joined.message, &summary, false);
        self.stats.external_joins += 1;
        self.stats.resyncs += usize::from(resync.is_some());
        self.check_agreement();
    }

    /// Every member holds the same epoch, epoch authenticator, exporter output, tree and
    /// GroupContext.
    fn check_agreement(&self) {
        let first = &self.members[0].group;
        let exported = first.export_secret(b"lifecycle", b"context", 32).unwrap();
        for m in &self.members[1..] {
            let g = &m.group;
            assert_eq!(g.epoch(), first.epoch(), "{}", m.name);
            assert_eq!(
                g.epoch_authenticator(),
                first.epoch_authenticator(),
                "{} disagrees on the epoch authenticator of epoch {}",
                m.name,
                first.epoch()
            );
            let theirs = g.export_secret(b"lifecycle", b"context", 32).unwrap();
            assert_eq!(theirs.as_bytes(), exported.as_bytes(), "{}", m.name);
            assert_eq!(g.group_context(), first.group_context(), "{}", m.name);
            assert_eq!(g.tree(), first.tree(), "{}", m.name);
        }
        assert_eq!(first.members().count(), self.len());
    }

    /// A message sent after a member's removal must not be readable by it.
    fn reject_at_removed(&self, message: &MlsMessage) {
        for m in &self.removed {
            assert!(
                m.group.process(message, &psks, &self.clock).is_err(),
                "removed member {} read a message of epoch {}",
                m.name,
                self.epoch()
            );
        }
    }

    /// Member `i` sends one message; everyone else reads it.
    fn send(&mut self, i: usize, text: &[u8]) -> MlsMessage {
        let (message, group) = self.members[i]
            .group
            .encrypt_application(text, b"aad", &mut self.rng)
            .unwrap();
        self.members[i].group = group;
        message
    }

    fn read_all(&mut self, sender: usize, message: &MlsMessage, text: &[u8]) {
        let sender_leaf = self.leaf(sender);
        for (j, m) in self.members.iter_mut().enumerate() {
            if j == sender {
                continue;
            }
            let (processed, group) = m
                .group
                .process(message, &psks, &self.clock)
                .unwrap_or_else(|e| panic!("{} cannot read: {e}", m.name));
            let Processed::Application(app) = processed else {
                panic!("{} expected application data", m.name);
            };
            assert_eq!((app.sender, app.data.as_slice()), (sender_leaf, text));
            m.group = group;
            self.stats.messages_read += 1;
        }
        self.reject_at_removed(message);
    }

    /// Application messages of the current epoch: every member sends one, and one member
    /// sends three more that arrive in reverse order.
    fn chat(&mut self) {
        let epoch = self.epoch();
        for i in 0..self.len() {
            let text = format!("epoch {epoch}: hello from {}", self.members[i].name).into_bytes();
            let message = self.send(i, &text);
            self.read_all(i, &message, &text);
        }
        let sender = (epoch as usize) % self.len();
        let burst: Vec<(Vec<u8>, MlsMessage)> = (0..3)
            .map(|k| {
                let text = format!("epoch {epoch}: burst {k}").into_bytes();
                let message = self.send(sender, &text);
                (text, message)
            })
            .collect();
        for (text, message) in burst.iter().rev() {
            self.read_all(sender, message, text);
        }
    }

    /// The position of a member other than those in `not`, chosen by `seed`.
    fn pick(&self, seed: usize, not: &[usize]) -> usize {
        (0..self.len())
            .map(|k| (seed + k) % self.len())
            .find(|i| !not.contains(i))
            .unwrap()
    }
}

fn add(bundle: &KeyPackageBundle) -> Proposal {
    Proposal::Add(Add {
        key_package: bundle.key_package.clone(),
    })
}

/// One epoch of the schedule: the kind of change, chosen by the round number, keeps the
/// group at about ten members.
fn run_round(w: &mut World, round: usize) {
    let n = w.len();
    let a = round % n;
    let b = w.pick(round * 7 + 3, &[a]);
    let c = w.pick(round * 5 + 1, &[a, b]);
    match round % 8 {
        // An empty commit: the committer's path only (§12.4 "empty" Commit).
        0 => w.commit(a, CommitOptions::default(), Vec::new()),
        // Two Update proposals by reference, committed by a third member.
        1 => {
            w.propose(a, |g, rng| g.propose_update(b"", rng).unwrap());
            w.propose(b, |g, rng| g.propose_update(b"", rng).unwrap());
            w.commit(c, CommitOptions::default(), Vec::new());
        }
        // Grow or shrink toward ten by a proposal by reference, committed by another.
        2 => {
            if n >= 10 {
                let target = w.leaf(c);
                w.propose(a, |g, rng| g.propose_remove(target, b"", rng).unwrap());
                w.commit(b, CommitOptions::default(), Vec::new());
            } else {
                let joiner = w.new_client();
                let kp = joiner.1.key_package.clone();
                let clock = w.clock;
                w.propose(a, |g, rng| g.propose_add(kp, b"", &clock, rng).unwrap());
                w.commit(b, CommitOptions::default(), vec![joiner]);
            }
        }
        // By value: a Remove and an Add in one commit.
        3 => {
            let joiner = w.new_client();
            let options = CommitOptions {
                proposals: vec![
                    Proposal::Remove(Remove { removed: w.leaf(b) }),
                    add(&joiner.1),
                ],
                ..CommitOptions::default()
            };
            w.commit(a, options, vec![joiner]);
        }
        // The external PSK proposed by reference by one member, and the resumption PSK of
        // the current epoch (which every member holds, §8.6) by value from the committer.
        4 => {
            let external = PskSource::External {
                psk_id: PSK_ID.to_vec(),
            };
            w.propose(a, |g, rng| g.propose_psk(external, b"", rng).unwrap());
            let group = &w.members[b].group;
            let resumption = PskSource::Resumption {
                usage: ResumptionPskUsage::APPLICATION,
                psk_group_id: group.group_id().to_vec(),
                psk_epoch: group.epoch(),
            };
            let psk = group.psk_id(resumption, &mut w.rng).unwrap();
            let options = CommitOptions {
                proposals: vec![Proposal::PreSharedKey(PreSharedKey { psk })],
                force_path: round % 16 == 4,
                ..CommitOptions::default()
            };
            w.commit(b, options, Vec::new());
        }
        // An external join (a new client), or a resync of an existing member.
        5 => {
            if round % 16 == 5 {
                w.external_join(a, None);
            } else {
                w.external_join(a, Some(b));
            }
        }
        // A partial commit: Adds only, by value, without a path — or a Remove when the
        // group is large.
        6 => {
            if n > 10 {
                let options = CommitOptions {
                    proposals: vec![Proposal::Remove(Remove { removed: w.leaf(b) })],
                    ..CommitOptions::default()
                };
                w.commit(a, options, Vec::new());
            } else {
                let joiner = w.new_client();
                let options = CommitOptions {
                    proposals: vec![add(&joiner.1)],
                    ..CommitOptions::default()
                };
                w.commit(a, options, vec![joiner]);
            }
        }
        // Mixed: an Update and a Remove by reference from two members, an Add by value
        // from the committer.
        _ => {
            let target = w.leaf(c);
            w.propose(a, |g, rng| g.propose_update(b"", rng).unwrap());
            w.propose(a, |g, rng| g.propose_remove(target, b"", rng).unwrap());
            let joiner = w.new_client();
            let options = CommitOptions {
                proposals: vec![add(&joiner.1)],
                ..CommitOptions::default()
            };
            w.commit(b, options, vec![joiner]);
        }
    }
}

#[test]
fn ten_members_agree_on_every_epoch_through_thirty_epochs_of_changes() {
    let started = Instant::now();
    let mut w = World::new(9420);
    w.chat();
    // Epoch 1 and 2: the creator adds four members, then one of them adds five more.
    let joiners: Vec<_> = (0..4).map(|_| w.new_client()).collect();
    let options = CommitOptions {
        proposals: joiners.iter().map(|j| add(&j.1)).collect(),
        ..CommitOptions::default()
    };
    w.commit(0, options, joiners);
    w.chat();
    let joiners: Vec<_> = (0..5).map(|_| w.new_client()).collect();
    let options = CommitOptions {
        proposals: joiners.iter().map(|j| add(&j.1)).collect(),
        ..CommitOptions::default()
    };
    w.commit(1, options, joiners);
    assert_eq!(w.len(), 10);
    w.chat();

    for round in 0..30 {
        run_round(&mut w, round);
        w.chat();
        assert!((9..=11).contains(&w.len()), "{} members", w.len());
    }

    assert!(w.epoch() >= 32, "only {} epochs", w.epoch());
    let s = &w.stats;
    eprintln!(
        "{} epochs, {} members now, {} removed, {:?}, {:?}",
        w.epoch(),
        w.len(),
        w.removed.len(),
        s,
        started.elapsed()
    );
    assert_eq!(s.commits as u64, w.epoch());
    for (what, count) in [
        ("commits with a path", s.with_path),
        ("commits without a path", s.without_path),
        ("commits as PrivateMessage", s.as_private_message),
        ("commits covering proposals by reference", s.by_reference),
        ("Updates", s.updated),
        ("PSKs", s.psks),
        ("external joins", s.external_joins),
        ("resyncs", s.resyncs),
    ] {
        assert!(count > 0, "no {what}");
    }
    assert!(s.added >= 10 && s.removed >= 10, "{s:?}");
}

#[test]
fn a_removed_member_cannot_read_the_next_commit_or_any_later_message() {
    let mut w = World::new(1);
    let joiners: Vec<_> = (0..3).map(|_| w.new_client()).collect();
    let options = CommitOptions {
        proposals: joiners.iter().map(|j| add(&j.1)).collect(),
        ..CommitOptions::default()
    };
    w.commit(0, options, joiners);
    let options = CommitOptions {
        proposals: vec![Proposal::Remove(Remove { removed: w.leaf(3) })],
        ..CommitOptions::default()
    };
    w.commit(0, options, Vec::new());
    assert_eq!(w.removed.len(), 1);
    let gone = &w.removed[0].group;

    // A message of the epoch that no longer includes it.
    let (message, _) = w.members[1]
        .group
        .encrypt_application(b"secret", b"", &mut w.rng)
        .unwrap();
    let err = gone.process(&message, &psks, &w.clock).unwrap_err();
    assert!(matches!(
        err,
        Error::Protocol(ProtocolViolation::Group(GroupViolation::WrongEpoch { .. }))
    ));
    // Nor the next commit, nor anything after it.
    w.commit(2, CommitOptions::default(), Vec::new());
    w.chat();
    w.commit(1, CommitOptions::default(), Vec::new());
    w.chat();
}

#[test]
fn a_message_out_of_order_inside_the_window_decrypts_and_one_outside_fails() {
    let mut w = World::new(2);
    let (name, bundle, mut config) = w.new_client();
    config.ratchet_policy = RatchetPolicy {
        max_forward_distance: 100,
        out_of_order_window: 4,
    };
    let options = CommitOptions {
        proposals: vec![add(&bundle)],
        ..CommitOptions::default()
    };
    w.commit(0, options, vec![(name, bundle, config)]);

    let sent: Vec<MlsMessage> = (0..10u8).map(|k| w.send(0, &[k])).collect();
    let reader = &w.members[1].group;
    let read = |group: &Group, k: usize| group.process(&sent[k], &psks, &w.clock);

    // Generation 9 first, then 6 and 5 (within 4 of 9), in any order.
    let (_, reader) = read(reader, 9).unwrap();
    let (_, reader) = read(&reader, 5).unwrap();
    let (_, reader) = read(&reader, 6).unwrap();
    let (processed, reader) = read(&reader, 7).unwrap();
    assert!(matches!(processed, Processed::Application(a) if a.data == [7]));
    // Generation 2 fell out of the window: its key is gone.
    let err = read(&reader, 2).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Protocol(ProtocolViolation::Rule { section: "9.2", .. })
        ),
        "{err:?}"
    );
    // And a message read once cannot be read again.
    let err = read(&reader, 9).unwrap_err();
    assert!(matches!(
        err,
        Error::Protocol(ProtocolViolation::Rule { section: "9.2", .. })
    ));
    // A failed read changed nothing: generation 8 still decrypts.
    assert!(read(&reader, 8).is_ok());
}

#[test]
fn a_message_of_the_previous_epoch_still_decrypts_after_the_commit() {
    let mut w = World::new(3);
    let joiners: Vec<_> = (0..2).map(|_| w.new_client()).collect();
    let options = CommitOptions {
        proposals: joiners.iter().map(|j| add(&j.1)).collect(),
        ..CommitOptions::default()
    };
    w.commit(0, options, joiners);
    let late = w.send(1, b"sent before the commit");
    w.commit(2, CommitOptions::default(), Vec::new());
    let (processed, _) = w.members[0].group.process(&late, &psks, &w.clock).unwrap();
    assert!(matches!(processed, Processed::Application(a) if a.epoch == 1));
}

#[test]
fn a_discarded_commit_leaves_the_committer_in_its_epoch() {
    let mut w = World::new(4);
    let (name, bundle, config) = w.new_client();
    let options = CommitOptions {
        proposals: vec![add(&bundle)],
        ..CommitOptions::default()
    };
    w.commit(0, options, vec![(name, bundle, config)]);
    let before = w.members[0].group.fingerprint();
    let pending = w.members[0]
        .group
        .commit(&CommitOptions::default(), &psks, &w.clock, &mut w.rng)
        .unwrap();
    assert_eq!(pending.next.epoch(), 2);
    assert_eq!(w.members[0].group.fingerprint(), before);
    // The other member commits first; the first one drops its commit and follows.
    let discarded = pending.discard();
    assert_eq!(discarded.epoch(), 1);
    w.members[0].group = discarded;
    w.commit(1, CommitOptions::default(), Vec::new());
    w.chat();
}

#[test]
fn only_the_proposals_asked_for_are_committed_by_reference() {
    let mut w = World::new(5);
    let joiners: Vec<_> = (0..2).map(|_| w.new_client()).collect();
    let options = CommitOptions {
        proposals: joiners.iter().map(|j| add(&j.1)).collect(),
        ..CommitOptions::default()
    };
    w.commit(0, options, joiners);
    let target = w.leaf(2);
    w.propose(1, |g, rng| g.propose_remove(target, b"", rng).unwrap());
    let options = CommitOptions {
        by_reference: ByReference::None,
        ..CommitOptions::default()
    };
    w.commit(0, options, Vec::new());
    assert_eq!(w.len(), 3, "the Remove was not committed");
    assert!(w.removed.is_empty());
}
