//! The abstract values of the model. The model has no bytes and no keys: every value the
//! Web API produces is a *token* that names what it is, and the test keeps a table from
//! each token to the real bytes the implementation produced for it.

/// A storage key (spec §4.1). The model has two; they share nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// The first origin, with several clients.
    A,
    /// A second origin, to check that nothing crosses storage keys.
    B,
}

/// An identity made by `generateIdentity` (spec §4.2): its client id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Client(pub u32);

/// A group id, drawn by `groupCreate` (spec **groupCreate.6**).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group(pub u32);

/// A message the Web API output: a key package, a Welcome, a proposal, a commit or an
/// application message. Two tokens may stand for equal bytes (spec: a proposal or an
/// add-only commit is deterministic); the model says so where it matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Msg(pub u32);

/// One epoch of one group: the secrets every member in it shares. Two members with the
/// same `EpochId` can read each other's messages; members of competing commits for the
/// same epoch number are in different `EpochId`s (a fork).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EpochId(pub u32);

/// The identity bytes of a basic credential (spec §5.4), from a small set so that two
/// clients may present the same identity (spec **kp.6**).
pub type CredentialName = u8;

/// What an `MLSGroupView` designates: (`[[ClientId]]`, `[[GroupId]]`) (spec §8). The
/// origin is the client's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ViewKey {
    /// `[[ClientId]]`.
    pub client: Client,
    /// `[[GroupId]]`.
    pub group: Group,
}
