//! The executable model of the spec (`spec/model`, crate `mls-webapi-model`) against the
//! Web API: random call sequences over every IDL member (spec/mls.webidl), on several
//! clients of one origin and a client of a second origin, with valid and invalid
//! arguments and the store closed and reopened between calls. After every call the
//! result kind or error name must be the model's, and every view the page holds must
//! show the model's epoch, members, `hasPendingCommit` and `hasPendingProposals`.
//!
//! The model works on tokens; this test keeps the table from each token to the bytes the
//! real Web API produced for it, so that "receive message 12" runs on both.
//!
//! `PROPTEST_CASES=n` sets the number of sequences (256), `MODEL_STEPS=n` their length
//! (up to 49 calls), `MODEL_TRACE=1` prints every call with the model's result.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use mls_webapi::clock::FixedClock;
use mls_webapi::crypto::SeededRandom;
use mls_webapi::webapi::{
    CommitOutput, GroupView, Input, Mls, MlsBytes, ObjectType, REMOVED_EPOCH, WebApiResult,
    epoch_of,
};
use mls_webapi_model::{
    Call, Client, ClientArg, CredentialArg, CredentialName, EpochId, ErrorName, ExportArg, Group,
    GroupArg, Message, Msg, MsgArg, Origin, Outcome, ViewKey, World,
};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use proptest::test_runner::Config;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use zeroize::Zeroizing;

/// The time every call runs at (2023-11-14): key packages stay current.
const NOW: u64 = 1_700_000_000;
/// How many call sequences `cargo test` runs (`PROPTEST_CASES=n` overrides it).
const CASES: u32 = 256;

/// The model and the result of the last call.
#[derive(Clone, Debug)]
struct Spec {
    world: World,
    last: Option<Result<Outcome, ErrorName>>,
}

/// The reference state machine: the model, and which calls to try next.
struct Model;

impl ReferenceStateMachine for Model {
    type State = Spec;
    type Transition = Call;

    fn init_state() -> BoxedStrategy<Spec> {
        Just(Spec {
            world: World::new(),
            last: None,
        })
        .boxed()
    }

    fn transitions(spec: &Spec) -> BoxedStrategy<Call> {
        calls(&spec.world)
    }

    fn apply(mut spec: Spec, call: &Call) -> Spec {
        spec.last = Some(spec.world.call(call));
        spec
    }

    /// A shrunk sequence may refer to a token that no earlier call made any more.
    fn preconditions(spec: &Spec, call: &Call) -> bool {
        refers_to_existing_tokens(&spec.world, call)
    }
}

fn origin() -> BoxedStrategy<Origin> {
    prop_oneof![3 => Just(Origin::A), 1 => Just(Origin::B)].boxed()
}

fn weighted(arms: Vec<(u32, BoxedStrategy<Call>)>) -> BoxedStrategy<Call> {
    Union::new_weighted(arms).boxed()
}

fn client_arg(clients: &[Client]) -> BoxedStrategy<ClientArg> {
    let mut arms: Vec<(u32, BoxedStrategy<ClientArg>)> = vec![
        (1, Just(ClientArg::Unknown).boxed()),
        (1, Just(ClientArg::Empty).boxed()),
        (1, Just(ClientArg::WrongType).boxed()),
    ];
    if !clients.is_empty() {
        arms.push((
            20,
            select(clients.to_vec()).prop_map(ClientArg::Client).boxed(),
        ));
    }
    Union::new_weighted(arms).boxed()
}

/// A credential of the client's own: few collide (spec **kp.6**).
fn own_credential(c: Client) -> CredentialArg {
    CredentialArg::Basic(4 + (c.0 % 250) as u8)
}

/// Any credential: few names, so that two clients share an identity now and then.
fn credential_arg() -> BoxedStrategy<CredentialArg> {
    prop_oneof![
        20 => (0..4u8).prop_map(CredentialArg::Basic),
        1 => Just(CredentialArg::Reserved),
        1 => Just(CredentialArg::X509),
        1 => Just(CredentialArg::Empty),
    ]
    .boxed()
}

/// A message argument: mostly one of `preferred`, sometimes any message, flipped,
/// garbage or empty.
fn msg_arg(preferred: &[Msg], all: &[Msg]) -> BoxedStrategy<MsgArg> {
    let mut arms: Vec<(u32, BoxedStrategy<MsgArg>)> = vec![
        (1, Just(MsgArg::Garbage).boxed()),
        (1, Just(MsgArg::Empty).boxed()),
    ];
    if !preferred.is_empty() {
        arms.push((20, select(preferred.to_vec()).prop_map(MsgArg::Msg).boxed()));
    }
    if !all.is_empty() {
        arms.push((2, select(all.to_vec()).prop_map(MsgArg::Msg).boxed()));
        arms.push((2, select(all.to_vec()).prop_map(MsgArg::Flipped).boxed()));
    }
    Union::new_weighted(arms).boxed()
}

/// The calls to try in `world`: every member, with weights that make groups grow, talk
/// and change epochs, and with invalid arguments among the valid ones.
fn calls(world: &World) -> BoxedStrategy<Call> {
    let clients: Vec<Client> = world.identities.keys().copied().collect();
    let alive: Vec<(Origin, Client)> = world
        .identities
        .iter()
        .filter(|(_, i)| i.alive)
        .map(|(c, i)| (i.origin, *c))
        .collect();
    let all: Vec<Msg> = world.messages.keys().copied().collect();
    let key_packages: Vec<Msg> = world
        .messages
        .iter()
        .filter(|(_, m)| matches!(m, Message::KeyPackage { .. }))
        .map(|(k, _)| *k)
        .collect();
    let views: Vec<ViewKey> = world.views.iter().copied().collect();
    let live_views: Vec<ViewKey> = views
        .iter()
        .copied()
        .filter(|v| world.group(*v).is_some())
        .collect();
    let groups: Vec<Group> = world.group_ids.iter().copied().collect();

    let mut arms: Vec<(u32, BoxedStrategy<Call>)> = vec![
        (1, Just(Call::Reopen).boxed()),
        (1, any::<bool>().prop_map(Call::GenerateCredential).boxed()),
        (
            1,
            prop_oneof![1 => Just(Origin::A), 3 => Just(Origin::B)]
                .prop_map(Call::MlsDeleteState)
                .boxed(),
        ),
        (
            if alive.len() < 3 { 4 } else { 1 },
            origin().prop_map(Call::GenerateIdentity).boxed(),
        ),
        (
            1,
            (origin(), client_arg(&clients), credential_arg())
                .prop_map(|(o, c, cred)| Call::GenerateKeyPackage(o, c, cred))
                .boxed(),
        ),
        (
            1,
            (origin(), client_arg(&clients), credential_arg())
                .prop_map(|(o, c, cred)| Call::GroupCreate(o, c, cred))
                .boxed(),
        ),
        (
            1,
            (origin(), msg_arg(&all, &all), any::<bool>())
                .prop_map(|(o, m, epoch)| {
                    if epoch {
                        Call::GetGroupEpochFromMessage(o, m)
                    } else {
                        Call::GetGroupIdFromMessage(o, m)
                    }
                })
                .boxed(),
        ),
    ];
    // The calls of the right origin, with the right client (most of the time).
    let without_key_package: Vec<(Origin, Client)> = alive
        .iter()
        .copied()
        .filter(|(_, c)| {
            !world.stored_key_packages.iter().any(
                |kp| matches!(world.messages[kp], Message::KeyPackage { owner, .. } if owner == *c),
            )
        })
        .collect();
    if !without_key_package.is_empty() {
        arms.push((
            10,
            select(without_key_package)
                .prop_map(|(o, c)| {
                    Call::GenerateKeyPackage(o, ClientArg::Client(c), own_credential(c))
                })
                .boxed(),
        ));
    }
    if !alive.is_empty() {
        arms.push((
            1,
            select(alive.clone())
                .prop_map(|(o, c)| {
                    Call::GenerateKeyPackage(o, ClientArg::Client(c), own_credential(c))
                })
                .boxed(),
        ));
        arms.push((
            if live_views.is_empty() { 6 } else { 1 },
            select(alive.clone())
                .prop_map(|(o, c)| Call::GroupCreate(o, ClientArg::Client(c), own_credential(c)))
                .boxed(),
        ));
    }
    if !groups.is_empty() {
        let group = prop_oneof![
            8 => select(groups.clone()).prop_map(GroupArg::Group),
            1 => Just(GroupArg::Unknown),
            1 => Just(GroupArg::Empty),
        ];
        arms.push((
            2,
            (origin(), group, client_arg(&clients))
                .prop_map(|(o, g, c)| Call::GroupGet(o, g, c))
                .boxed(),
        ));
    }
    // Joins: a Welcome to one of the clients it adds, in that client's origin; mostly
    // those that can succeed.
    let mut joinable = Vec::new();
    let mut joins = Vec::new();
    for (w, m) in &world.messages {
        let Message::Welcome {
            group, new_members, ..
        } = m
        else {
            continue;
        };
        for kp in new_members {
            let Message::KeyPackage { owner, .. } = world.messages[kp] else {
                continue;
            };
            let origin = world.identities[&owner].origin;
            let call = Call::GroupJoin(origin, ClientArg::Client(owner), MsgArg::Msg(*w));
            let view = ViewKey {
                client: owner,
                group: *group,
            };
            if world.stored_key_packages.contains(kp) && world.group(view).is_none() {
                joinable.push(call);
            } else {
                joins.push(call);
            }
        }
    }
    if !joinable.is_empty() {
        arms.push((60, select(joinable).boxed()));
    }
    if !joins.is_empty() {
        arms.push((2, select(joins).boxed()));
    }
    // Removals of another member.
    let removable: Vec<(ViewKey, Client)> = live_views
        .iter()
        .flat_map(|v| {
            let tree = &world.group(*v).expect("live").tree;
            mls_webapi_model::tree::members(tree)
                .into_iter()
                .filter(|m| m.client != v.client)
                .map(|m| (*v, m.client))
        })
        .collect();
    if !removable.is_empty() {
        arms.push((
            8,
            (select(removable), any::<bool>())
                .prop_map(|((v, c), commit)| {
                    if commit {
                        Call::Remove(v, ClientArg::Client(c))
                    } else {
                        Call::ProposeRemove(v, ClientArg::Client(c))
                    }
                })
                .boxed(),
        ));
    }
    // Application messages where they can be sent.
    let senders: Vec<ViewKey> = live_views
        .iter()
        .copied()
        .filter(|v| {
            world
                .group(*v)
                .is_some_and(|s| s.cache.is_empty() && s.tree.iter().flatten().count() > 1)
        })
        .collect();
    if !senders.is_empty() {
        arms.push((
            8,
            (select(senders), 0..4u8)
                .prop_map(|(v, p)| Call::Send(v, p))
                .boxed(),
        ));
    }
    if !all.is_empty() {
        arms.push((
            1,
            (origin(), client_arg(&clients), msg_arg(&all, &all))
                .prop_map(|(o, c, w)| Call::GroupJoin(o, c, w))
                .boxed(),
        ));
    }
    // Deliveries: a message this view can read now (of its epoch, or of a retained
    // past epoch for application messages), and its own pending commit.
    let deliverable: Vec<Call> = live_views
        .iter()
        .flat_map(|v| {
            let s = world.group(*v).expect("live");
            world.messages.iter().filter_map(move |(m, msg)| {
                let ok = match msg {
                    Message::Proposal { reference, .. } => reference.epoch_id == s.epoch_id,
                    Message::Commit(c) => {
                        c.epoch_id == s.epoch_id
                            && (c.sender != v.client
                                || s.pending.as_ref().is_some_and(|p| p.commit == *m))
                    }
                    Message::Application {
                        epoch_id, sender, ..
                    } => *sender != v.client && s.epochs.iter().any(|r| r.id == *epoch_id),
                    _ => false,
                };
                ok.then_some(Call::Receive(*v, MsgArg::Msg(*m)))
            })
        })
        .collect();
    if !deliverable.is_empty() {
        arms.push((40, select(deliverable).boxed()));
    }
    let pending: Vec<ViewKey> = live_views
        .iter()
        .copied()
        .filter(|v| world.group(*v).is_some_and(|s| s.pending.is_some()))
        .collect();
    if !pending.is_empty() {
        arms.push((
            8,
            select(pending).prop_map(Call::ApplyPendingCommit).boxed(),
        ));
    }
    // Growth: a stored key package of someone not yet in the view's group.
    let growth: Vec<(ViewKey, Msg)> = live_views
        .iter()
        .flat_map(|v| {
            let tree = &world.group(*v).expect("live").tree;
            world
                .stored_key_packages
                .iter()
                .filter_map(move |kp| match world.messages[kp] {
                    Message::KeyPackage { owner, .. }
                        if !mls_webapi_model::tree::has_member(tree, owner) =>
                    {
                        Some((*v, *kp))
                    }
                    _ => None,
                })
        })
        .collect();
    if !growth.is_empty() {
        arms.push((
            30,
            (select(growth), any::<bool>())
                .prop_map(|((v, kp), commit)| {
                    if commit {
                        Call::Add(v, MsgArg::Msg(kp))
                    } else {
                        Call::ProposeAdd(v, MsgArg::Msg(kp))
                    }
                })
                .boxed(),
        ));
    }
    if !views.is_empty() {
        let v = || select(views.clone());
        arms.extend([
            (
                3,
                (v(), msg_arg(&all, &all))
                    .prop_map(|(v, m)| Call::Receive(v, m))
                    .boxed(),
            ),
            (
                2,
                (v(), msg_arg(&key_packages, &all))
                    .prop_map(|(v, m)| Call::Add(v, m))
                    .boxed(),
            ),
            (
                1,
                (v(), msg_arg(&key_packages, &all))
                    .prop_map(|(v, m)| Call::ProposeAdd(v, m))
                    .boxed(),
            ),
            (
                1,
                (v(), client_arg(&clients))
                    .prop_map(|(v, c)| Call::Remove(v, c))
                    .boxed(),
            ),
            (
                1,
                (v(), client_arg(&clients))
                    .prop_map(|(v, c)| Call::ProposeRemove(v, c))
                    .boxed(),
            ),
            (1, v().prop_map(Call::Close).boxed()),
            (1, v().prop_map(Call::Details).boxed()),
            (1, (v(), 0..4u8).prop_map(|(v, p)| Call::Send(v, p)).boxed()),
            (1, v().prop_map(Call::HasPendingProposals).boxed()),
            (2, v().prop_map(Call::ClearPendingProposals).boxed()),
            (1, v().prop_map(Call::HasPendingCommit).boxed()),
            (2, v().prop_map(Call::ClearPendingCommit).boxed()),
            (1, v().prop_map(Call::ApplyPendingCommit).boxed()),
            (1, v().prop_map(Call::ViewDeleteState).boxed()),
            (
                2,
                (
                    v(),
                    prop_oneof![
                        6 => Just(ExportArg::Valid),
                        1 => Just(ExportArg::ZeroLength),
                        1 => Just(ExportArg::TooLong),
                        1 => Just(ExportArg::EmptyLabel),
                    ],
                )
                    .prop_map(|(v, a)| Call::ExportSecret(v, a))
                    .boxed(),
            ),
        ]);
    }
    weighted(arms)
}

/// Whether every token `call` names was made by an earlier call of the sequence.
fn refers_to_existing_tokens(world: &World, call: &Call) -> bool {
    let client = |c: &ClientArg| match c {
        ClientArg::Client(c) => world.identities.contains_key(c),
        _ => true,
    };
    let msg = |m: &MsgArg| match m {
        MsgArg::Msg(m) | MsgArg::Flipped(m) => world.messages.contains_key(m),
        _ => true,
    };
    let view = call.view().is_none_or(|v| world.views.contains(&v));
    view && match call {
        Call::GenerateKeyPackage(_, c, _) | Call::GroupCreate(_, c, _) => client(c),
        Call::GroupGet(_, g, c) => {
            client(c)
                && match g {
                    GroupArg::Group(g) => world.group_ids.contains(g),
                    _ => true,
                }
        }
        Call::GroupJoin(_, c, m) => client(c) && msg(m),
        Call::GetGroupIdFromMessage(_, m)
        | Call::GetGroupEpochFromMessage(_, m)
        | Call::Add(_, m)
        | Call::ProposeAdd(_, m)
        | Call::Receive(_, m) => msg(m),
        Call::Remove(_, c) | Call::ProposeRemove(_, c) => client(c),
        _ => true,
    }
}

/// A test directory under tmpfs where there is one (no fsync cost), else the temp dir.
fn fresh_dir() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!(
        "mls-webapi-model-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The real Web API, and the bytes it produced for each token of the model.
struct Real {
    dir: PathBuf,
    a: Mls,
    b: Mls,
    opened: u64,
    views: HashMap<ViewKey, GroupView>,
    clients: HashMap<Client, Vec<u8>>,
    groups: HashMap<Group, Vec<u8>>,
    messages: HashMap<Msg, Vec<u8>>,
    secrets: HashMap<EpochId, Vec<u8>>,
}

fn open(dir: &std::path::Path, origin: &str, seed: u64) -> Mls {
    Mls::open(dir, origin)
        .expect("a serialized origin")
        .with_rng_and_clock(Box::new(SeededRandom::new(seed)), Box::new(FixedClock(NOW)))
}

/// The encoded basic credential of `name` (spec §5.4).
fn credential(name: CredentialName) -> Vec<u8> {
    let identity = format!("client {name}");
    let mut c = vec![0, 1, identity.len() as u8];
    c.extend_from_slice(identity.as_bytes());
    c
}

fn plaintext(n: u8) -> Vec<u8> {
    if n == 0 {
        Vec::new()
    } else {
        format!("message {n}").into_bytes()
    }
}

impl Real {
    fn new() -> Self {
        let dir = fresh_dir();
        Real {
            a: open(&dir, "https://a.example", 1),
            b: open(&dir, "https://b.example", 2),
            dir,
            opened: 1,
            views: HashMap::new(),
            clients: HashMap::new(),
            groups: HashMap::new(),
            messages: HashMap::new(),
            secrets: HashMap::new(),
        }
    }

    fn mls(&self, origin: Origin) -> &Mls {
        match origin {
            Origin::A => &self.a,
            Origin::B => &self.b,
        }
    }

    /// Drops every handle and opens the store again; views on existing state are got
    /// again, views on deleted state are kept as a page would keep them.
    fn reopen(&mut self, world: &World) {
        self.opened += 1;
        let seed = self.opened * 2;
        self.a = open(&self.dir, "https://a.example", seed);
        self.b = open(&self.dir, "https://b.example", seed + 1);
        let keys: Vec<ViewKey> = self.views.keys().copied().collect();
        for key in keys {
            let origin = world.origin_of(key).expect("a view's client is known");
            let fresh = self
                .mls(origin)
                .group_get(self.group_input(key.group), self.client_input(key.client))
                .expect("groupGet after reopening");
            if let Some(view) = fresh {
                self.views.insert(key, view);
            }
        }
    }

    fn client_input(&self, c: Client) -> Input {
        Input::Bytes(MlsBytes::new(
            ObjectType::ClientIdentifier,
            self.clients[&c].clone(),
        ))
    }

    fn group_input(&self, g: Group) -> Input {
        Input::Bytes(MlsBytes::new(
            ObjectType::GroupIdentifier,
            self.groups[&g].clone(),
        ))
    }

    fn client_arg(&self, c: ClientArg) -> Input {
        match c {
            ClientArg::Client(c) => self.client_input(c),
            ClientArg::Unknown => Input::Array(vec![7; 32]),
            ClientArg::Empty => Input::Array(Vec::new()),
            ClientArg::WrongType => {
                Input::Bytes(MlsBytes::new(ObjectType::GroupIdentifier, vec![7; 32]))
            }
        }
    }

    fn credential_arg(c: CredentialArg) -> Input {
        match c {
            CredentialArg::Basic(n) => {
                Input::Bytes(MlsBytes::new(ObjectType::CredentialBasic, credential(n)))
            }
            CredentialArg::Reserved => Input::Array(vec![0, 0]),
            CredentialArg::X509 => Input::Array(vec![0, 2, 1, 0x41]),
            CredentialArg::Empty => Input::Array(Vec::new()),
        }
    }

    /// The bytes of a message argument; a message of kind `typed` goes as an `MLSBytes`
    /// of that type, any other as a `Uint8Array`.
    fn msg_arg(&self, world: &World, m: MsgArg, typed: Option<ObjectType>) -> Input {
        match m {
            MsgArg::Msg(m) => {
                let kind = match world.messages[&m] {
                    Message::KeyPackage { .. } => ObjectType::KeyPackage,
                    Message::Welcome { .. } => ObjectType::Welcome,
                    Message::Proposal { .. } => ObjectType::Proposal,
                    Message::Commit(_) => ObjectType::CommitOutput,
                    Message::Application { .. } => ObjectType::ApplicationMessageCiphertext,
                };
                let bytes = self.messages[&m].clone();
                if typed.is_none_or(|t| t == kind) && kind != ObjectType::CommitOutput {
                    Input::Bytes(MlsBytes::new(kind, bytes))
                } else {
                    Input::Array(bytes)
                }
            }
            MsgArg::Flipped(m) => {
                let mut bytes = self.messages[&m].clone();
                *bytes.last_mut().expect("a message is not empty") ^= 1;
                Input::Array(bytes)
            }
            MsgArg::Garbage => Input::Array(vec![0, 1, 0]),
            MsgArg::Empty => Input::Array(Vec::new()),
        }
    }

    /// The stored state of both origins, byte for byte.
    fn snapshots(&self) -> [Zeroizing<Vec<u8>>; 2] {
        [&self.a, &self.b].map(|mls| mls.state_snapshot().expect("a snapshot"))
    }

    fn view(&self, v: ViewKey) -> &GroupView {
        &self.views[&v]
    }

    fn register_commit(&mut self, commit: Msg, welcome: Option<Msg>, out: CommitOutput) {
        assert_eq!(
            out.welcome.is_some(),
            welcome.is_some(),
            "a Welcome iff someone is added"
        );
        self.messages.insert(commit, out.commit);
        if let (Some(w), Some(bytes)) = (welcome, out.welcome) {
            self.messages.insert(w, bytes);
        }
    }

    /// Runs `call` on the Web API and compares with the model's result.
    fn run(&mut self, world: &World, call: Call, expected: &Result<Outcome, ErrorName>) {
        macro_rules! compare {
            ($real:expr, |$o:pat_param, $r:ident| $then:expr) => {{
                let real: WebApiResult<_> = $real;
                match (expected, real) {
                    (Err(e), Err(r)) => {
                        assert_eq!(r.name.as_str(), e.as_str(), "{call:?}: {}", r.message)
                    }
                    (Err(e), Ok(_)) => {
                        panic!("{call:?}: the model says {e:?}, the Web API succeeded")
                    }
                    (Ok(o), Err(r)) => {
                        panic!("{call:?}: the model says {o:?}, the Web API says {r}")
                    }
                    (Ok($o), Ok($r)) => $then,
                }
            }};
        }
        match call {
            Call::Reopen => self.reopen(world),
            Call::MlsDeleteState(o) => compare!(self.mls(o).delete_state(), |_, _r| ()),
            Call::GenerateIdentity(o) => compare!(self.mls(o).generate_identity(), |o, r| {
                let Outcome::ClientId(c) = o else {
                    panic!("{o:?}")
                };
                assert_eq!(r.kind, ObjectType::ClientIdentifier);
                self.clients.insert(*c, r.content);
            }),
            Call::GenerateCredential(empty) => {
                let content = if empty { "" } else { "client 0" };
                compare!(self.a.generate_credential(content), |_, r| assert_eq!(
                    r.content,
                    credential(0)
                ))
            }
            Call::GenerateKeyPackage(o, c, cred) => compare!(
                self.mls(o)
                    .generate_key_package(self.client_arg(c), Self::credential_arg(cred)),
                |o, r| {
                    let Outcome::KeyPackage(m) = o else {
                        panic!("{o:?}")
                    };
                    assert_eq!(r.kind, ObjectType::KeyPackage);
                    self.messages.insert(*m, r.content);
                }
            ),
            Call::GroupCreate(o, c, cred) => compare!(
                self.mls(o)
                    .group_create(self.client_arg(c), Self::credential_arg(cred)),
                |o, r| {
                    let Outcome::View(Some(v)) = o else {
                        panic!("{o:?}")
                    };
                    self.groups.insert(v.group, r.group_id());
                    self.views.insert(*v, r);
                }
            ),
            Call::GroupGet(o, g, c) => {
                let group = match g {
                    GroupArg::Group(g) => self.group_input(g),
                    GroupArg::Unknown => Input::Array(vec![9; 32]),
                    GroupArg::Empty => Input::Array(Vec::new()),
                };
                compare!(self.mls(o).group_get(group, self.client_arg(c)), |o, r| {
                    let Outcome::View(v) = o else { panic!("{o:?}") };
                    assert_eq!(v.is_some(), r.is_some(), "{call:?}: groupGet");
                    if let (Some(v), Some(r)) = (v, r) {
                        self.views.insert(*v, r);
                    }
                })
            }
            Call::GroupJoin(o, c, w) => compare!(
                self.mls(o).group_join(
                    self.client_arg(c),
                    self.msg_arg(world, w, Some(ObjectType::Welcome))
                ),
                |o, r| {
                    let Outcome::View(Some(v)) = o else {
                        panic!("{o:?}")
                    };
                    assert_eq!(
                        r.group_id(),
                        self.groups[&v.group],
                        "{call:?}: the group joined"
                    );
                    self.views.insert(*v, r);
                }
            ),
            Call::GetGroupIdFromMessage(o, m) => compare!(
                self.mls(o)
                    .get_group_id_from_message(self.msg_arg(world, m, None)),
                |o, r| {
                    let Outcome::GroupId(g) = o else {
                        panic!("{o:?}")
                    };
                    assert_eq!(r.content, self.groups[g]);
                }
            ),
            Call::GetGroupEpochFromMessage(o, m) => compare!(
                self.mls(o)
                    .get_group_epoch_from_message(self.msg_arg(world, m, None)),
                |o, r| assert_eq!(
                    Some(&Outcome::Epoch(epoch_of(&r.content).unwrap())),
                    Some(o)
                )
            ),
            Call::ViewDeleteState(v) => compare!(self.view(v).delete_state(), |_, _r| ()),
            Call::Add(v, m) => compare!(
                self.view(v)
                    .add(self.msg_arg(world, m, Some(ObjectType::KeyPackage))),
                |o, r| self.commit_output(o, r)
            ),
            Call::Remove(v, c) => compare!(self.view(v).remove(self.client_arg(c)), |o, r| self
                .commit_output(o, r)),
            Call::Close(v) => compare!(self.view(v).close(), |o, r| self.commit_output(o, r)),
            Call::ProposeAdd(v, m) => compare!(
                self.view(v)
                    .propose_add(self.msg_arg(world, m, Some(ObjectType::KeyPackage))),
                |o, r| self.proposal(o, r)
            ),
            Call::ProposeRemove(v, c) => {
                compare!(self.view(v).propose_remove(self.client_arg(c)), |o, r| self
                    .proposal(o, r))
            }
            Call::Details(v) => compare!(self.view(v).details(), |o, r| {
                let Outcome::Details { epoch, members } = o else {
                    panic!("{o:?}")
                };
                assert_eq!(epoch_of(&r.group_epoch), Some(*epoch));
                let expected: Vec<_> = members
                    .iter()
                    .map(|m| (self.clients[&m.client].clone(), credential(m.credential)))
                    .collect();
                let real: Vec<_> = r
                    .members
                    .into_iter()
                    .map(|m| (m.client_id, m.credential))
                    .collect();
                assert_eq!(real, expected, "{call:?}: members");
            }),
            Call::Send(v, p) => {
                let text = String::from_utf8(plaintext(p)).expect("ASCII");
                compare!(self.view(v).send(text), |o, r| {
                    let Outcome::Ciphertext(m) = o else {
                        panic!("{o:?}")
                    };
                    assert_eq!(r.kind, ObjectType::ApplicationMessageCiphertext);
                    self.messages.insert(*m, r.content);
                })
            }
            Call::Receive(v, m) => compare!(
                self.view(v).receive(self.msg_arg(world, m, None)),
                |o, r| match o {
                    Outcome::CommitProcessed(epoch) => {
                        assert_eq!(r.kind, ObjectType::CommitProcessed, "{call:?}");
                        let real = r.group_epoch.expect("a groupEpoch");
                        match epoch {
                            Some(e) => {
                                assert_eq!(epoch_of(&real), Some(*e), "{call:?}: the new epoch")
                            }
                            None => assert_eq!(real, REMOVED_EPOCH, "{call:?}: removed"),
                        }
                    }
                    Outcome::Plaintext(p) => {
                        assert_eq!(r.kind, ObjectType::ApplicationMessagePlaintext, "{call:?}");
                        assert_eq!(r.content, Some(plaintext(*p)), "{call:?}: the plaintext");
                    }
                    Outcome::AutoCommit { commit, welcome } => {
                        assert_eq!(r.kind, ObjectType::CommitOutput, "{call:?}");
                        let out = r.commit_output.expect("a commitOutput");
                        self.register_commit(*commit, *welcome, out);
                    }
                    other => panic!("{other:?}"),
                }
            ),
            Call::HasPendingProposals(v) => compare!(
                self.view(v).has_pending_proposals(),
                |o, r| assert_eq!(o, &Outcome::Bool(r), "{call:?}")
            ),
            Call::ClearPendingProposals(v) => compare!(
                self.view(v).clear_pending_proposals(),
                |o, r| assert_eq!(o, &Outcome::Bool(r), "{call:?}")
            ),
            Call::HasPendingCommit(v) => compare!(
                self.view(v).has_pending_commit(),
                |o, r| assert_eq!(o, &Outcome::Bool(r), "{call:?}")
            ),
            Call::ClearPendingCommit(v) => compare!(
                self.view(v).clear_pending_commit(),
                |o, r| assert_eq!(o, &Outcome::Bool(r), "{call:?}")
            ),
            Call::ApplyPendingCommit(v) => compare!(self.view(v).apply_pending_commit(), |o, r| {
                assert_eq!(r.kind, ObjectType::CommitProcessed);
                assert_eq!(
                    Some(o),
                    Some(&Outcome::CommitProcessed(
                        r.group_epoch.as_deref().and_then(epoch_of)
                    )),
                    "{call:?}"
                );
            }),
            Call::ExportSecret(v, a) => {
                let (label, length) = match a {
                    ExportArg::Valid => ("model", 32),
                    ExportArg::ZeroLength => ("model", 0),
                    ExportArg::TooLong => ("model", 8_161),
                    ExportArg::EmptyLabel => ("", 32),
                };
                compare!(
                    self.view(v).export_secret(label, Vec::<u8>::new(), length),
                    |o, r| {
                        let Outcome::Exported { epoch, epoch_id } = o else {
                            panic!("{o:?}")
                        };
                        assert_eq!(epoch_of(&r.group_epoch), Some(*epoch));
                        let secret = self
                            .secrets
                            .entry(*epoch_id)
                            .or_insert_with(|| r.secret.clone());
                        assert_eq!(
                            *secret, r.secret,
                            "{call:?}: members of one epoch export one secret"
                        );
                    }
                )
            }
        }
    }

    fn commit_output(&mut self, o: &Outcome, r: CommitOutput) {
        let Outcome::CommitOutput { commit, welcome } = o else {
            panic!("{o:?}")
        };
        self.register_commit(*commit, *welcome, r);
    }

    fn proposal(&mut self, o: &Outcome, r: MlsBytes) {
        let Outcome::Proposal(m) = o else {
            panic!("{o:?}")
        };
        assert_eq!(r.kind, ObjectType::Proposal);
        self.messages.insert(*m, r.content);
    }
}

/// The directory goes with the case, also when the case fails (shrinking runs many).
impl Drop for Real {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The system under test: the Web API over a store in a fresh directory.
struct WebApi;

impl StateMachineTest for WebApi {
    type SystemUnderTest = Real;
    type Reference = Model;

    fn init_test(_: &Spec) -> Real {
        Real::new()
    }

    fn apply(mut real: Real, spec: &Spec, call: Call) -> Real {
        let expected = spec.last.as_ref().expect("the model ran the call");
        if std::env::var_os("MODEL_TRACE").is_some() {
            eprintln!("model: {call:?} -> {expected:?}");
        }
        // spec §3.2: a failed call never changes stored state.
        let before = expected.is_err().then(|| real.snapshots());
        real.run(&spec.world, call, expected);
        if let Some(before) = before {
            assert!(
                before == real.snapshots(),
                "{call:?} failed and changed the store"
            );
        }
        real
    }

    /// Every view the page holds shows the model's epoch, members and pending state.
    fn check_invariants(real: &Real, spec: &Spec) {
        let views: BTreeMap<ViewKey, &GroupView> =
            real.views.iter().map(|(k, v)| (*k, v)).collect();
        assert!(
            views.keys().eq(spec.world.views.iter()),
            "the page holds the model's views"
        );
        for (key, view) in views {
            match spec.world.group(key) {
                None => assert_eq!(
                    view.details().map(|_| ()).unwrap_err().name.as_str(),
                    "NotFoundError",
                    "{key:?} has no state"
                ),
                Some(s) => {
                    let d = view.details().expect("details of a view with state");
                    assert_eq!(epoch_of(&d.group_epoch), Some(s.epoch), "{key:?}: epoch");
                    let members: Vec<Vec<u8>> =
                        d.members.into_iter().map(|m| m.client_id).collect();
                    let expected: Vec<Vec<u8>> = mls_webapi_model::tree::members(&s.tree)
                        .iter()
                        .map(|m| real.clients[&m.client].clone())
                        .collect();
                    assert_eq!(members, expected, "{key:?}: members");
                    assert_eq!(
                        view.has_pending_commit().unwrap(),
                        s.pending.is_some(),
                        "{key:?}: hasPendingCommit"
                    );
                    assert_eq!(
                        view.has_pending_proposals().unwrap(),
                        !s.cache.is_empty(),
                        "{key:?}: hasPendingProposals"
                    );
                }
            }
        }
    }
}

/// How many calls a sequence has: 1 to 49 (`MODEL_STEPS=n` makes it 1 to n − 1, for
/// longer explorations).
fn steps() -> std::ops::Range<usize> {
    let end = std::env::var("MODEL_STEPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    1..end
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(CASES);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

prop_state_machine! {
    #![proptest_config(config())]

    /// Random call sequences give the model's results on the Web API.
    #[test]
    fn the_web_api_behaves_as_the_model_of_the_spec(sequential steps() => WebApi);
}
