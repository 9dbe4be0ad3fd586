//! A call of an IDL member (spec/mls.webidl) with abstract arguments, and its abstract
//! result. Every member of `MLS` and `MLSGroupView` that touches state is here; the two
//! attributes (`groupId`, `clientId`) are plain getters and the constructor is
//! [`Call::Reopen`] (the page drops its `MLS` objects and makes new ones: spec §4.5, state
//! outlives the handle).

use crate::tokens::{Client, CredentialName, EpochId, Group, Msg, Origin, ViewKey};

/// A client id argument (`MLSBytesOrUint8Array`, expected `"client-identifier"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientArg {
    /// The client id of an identity the model made (maybe of the other origin, maybe
    /// deleted since).
    Client(Client),
    /// 32 bytes that are no client id.
    Unknown,
    /// An empty `Uint8Array` (spec **bytes.4**: `TypeError`).
    Empty,
    /// An `MLSBytes` of type `"group-identifier"` (spec **bytes.1**: `TypeError`).
    WrongType,
}

/// A credential argument (`MLSBytesOrUint8Array`, expected `"credential-basic"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialArg {
    /// The basic credential `generateCredential` makes of the name.
    Basic(CredentialName),
    /// `00 00`: the reserved credential type (spec **credential.2**: `DataError`).
    Reserved,
    /// `00 02 …`: an X.509 credential (spec **credential.3**: `NotSupportedError`).
    X509,
    /// Empty (`TypeError`).
    Empty,
}

/// A group id argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupArg {
    /// The id of a group made by `groupCreate`.
    Group(Group),
    /// 32 bytes that are no group id.
    Unknown,
    /// Empty (`TypeError`).
    Empty,
}

/// A message argument: key package, Welcome, proposal, commit or ciphertext.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgArg {
    /// The bytes the Web API output for the token, as its `MLSBytes` when it was output
    /// as one (a key package, a ciphertext), as a `Uint8Array` otherwise.
    Msg(Msg),
    /// The same bytes, as a `Uint8Array`, with the last byte flipped: a signature, a tag
    /// or an AEAD tag, so the message still decodes but fails authentication.
    Flipped(Msg),
    /// Three bytes that are no `MLSMessage` (`DataError`).
    Garbage,
    /// Empty (`TypeError`).
    Empty,
}

/// The arguments of `exportSecret`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportArg {
    /// A label, an empty context and 32 bytes.
    Valid,
    /// `length` 0 (spec **exportSecret.3**: `TypeError`).
    ZeroLength,
    /// `length` 8,161 > 255·Nh (spec **exportSecret.5**: `OperationError`).
    TooLong,
    /// An empty label (`TypeError`).
    EmptyLabel,
}

/// One call of an IDL member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// Drop every `MLS` object and view's handle and open the origins again.
    Reopen,
    /// `MLS.deleteState()` (spec §7.2).
    MlsDeleteState(Origin),
    /// `generateIdentity()` (spec §7.3).
    GenerateIdentity(Origin),
    /// `generateCredential(content)` (spec §7.4); `true` for empty content.
    GenerateCredential(bool),
    /// `generateKeyPackage(clientId, credential)` (spec §7.5).
    GenerateKeyPackage(Origin, ClientArg, CredentialArg),
    /// `groupCreate(clientId, credential)` (spec §7.6).
    GroupCreate(Origin, ClientArg, CredentialArg),
    /// `groupGet(groupId, clientId)` (spec §7.7).
    GroupGet(Origin, GroupArg, ClientArg),
    /// `groupJoin(clientId, welcome)` (spec §7.8).
    GroupJoin(Origin, ClientArg, MsgArg),
    /// `getGroupIdFromMessage(message)` (spec §7.9).
    GetGroupIdFromMessage(Origin, MsgArg),
    /// `getGroupEpochFromMessage(message)` (spec §7.10).
    GetGroupEpochFromMessage(Origin, MsgArg),
    /// `view.deleteState()` (spec §8.3).
    ViewDeleteState(ViewKey),
    /// `add(keyPackage)` (spec §8.4).
    Add(ViewKey, MsgArg),
    /// `proposeAdd(keyPackage)` (spec §8.5).
    ProposeAdd(ViewKey, MsgArg),
    /// `remove(remClientId)` (spec §8.6).
    Remove(ViewKey, ClientArg),
    /// `proposeRemove(remClientId)` (spec §8.7).
    ProposeRemove(ViewKey, ClientArg),
    /// `close()` (spec §8.8).
    Close(ViewKey),
    /// `details()` (spec §8.9).
    Details(ViewKey),
    /// `send(message)` (spec §8.10) of the plaintext numbered so (0: empty).
    Send(ViewKey, u8),
    /// `receive(message)` (spec §8.11).
    Receive(ViewKey, MsgArg),
    /// `hasPendingProposals()` (spec §8.12).
    HasPendingProposals(ViewKey),
    /// `clearPendingProposals()` (spec §8.13).
    ClearPendingProposals(ViewKey),
    /// `hasPendingCommit()` (spec §8.14).
    HasPendingCommit(ViewKey),
    /// `clearPendingCommit()` (spec §8.15).
    ClearPendingCommit(ViewKey),
    /// `applyPendingCommit()` (spec §8.16).
    ApplyPendingCommit(ViewKey),
    /// `exportSecret(label, context, length)` (spec §8.17).
    ExportSecret(ViewKey, ExportArg),
}

impl Call {
    /// The view the call is made on, for `MLSGroupView` members.
    pub fn view(&self) -> Option<ViewKey> {
        match *self {
            Call::ViewDeleteState(v)
            | Call::Add(v, _)
            | Call::ProposeAdd(v, _)
            | Call::Remove(v, _)
            | Call::ProposeRemove(v, _)
            | Call::Close(v)
            | Call::Details(v)
            | Call::Send(v, _)
            | Call::Receive(v, _)
            | Call::HasPendingProposals(v)
            | Call::ClearPendingProposals(v)
            | Call::HasPendingCommit(v)
            | Call::ClearPendingCommit(v)
            | Call::ApplyPendingCommit(v)
            | Call::ExportSecret(v, _) => Some(v),
            _ => None,
        }
    }
}

/// A member of a group as `details()` shows it (spec **details.3**).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// Its client id.
    pub client: Client,
    /// The identity of its credential.
    pub credential: CredentialName,
}

/// What a successful call resolves with, abstractly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `undefined` (`deleteState`), or nothing the model tracks (`Reopen`).
    Done,
    /// A new client id (`generateIdentity`).
    ClientId(Client),
    /// A credential (`generateCredential`).
    Credential,
    /// A new key package (`generateKeyPackage`).
    KeyPackage(Msg),
    /// A view (`groupCreate`, `groupJoin`, `groupGet`), or `null` (`groupGet`).
    View(Option<ViewKey>),
    /// The group id a message claims.
    GroupId(Group),
    /// The epoch a message claims.
    Epoch(u64),
    /// `MLSCommitOutput`: the commit and, iff someone was added, the Welcome.
    CommitOutput {
        /// `commit`.
        commit: Msg,
        /// `welcome`.
        welcome: Option<Msg>,
    },
    /// A proposal (`proposeAdd`, `proposeRemove`).
    Proposal(Msg),
    /// A ciphertext (`send`).
    Ciphertext(Msg),
    /// `MLSReceived "commit-processed"` with the new epoch, or `None` for `ff×8` (we were
    /// removed).
    CommitProcessed(Option<u64>),
    /// `MLSReceived "application-message-plaintext"` with the plaintext numbered so.
    Plaintext(u8),
    /// `MLSReceived "commit-output"`: the auto-commit of a received proposal.
    AutoCommit {
        /// `commitOutput.commit`.
        commit: Msg,
        /// `commitOutput.welcome`.
        welcome: Option<Msg>,
    },
    /// A boolean (`has*`, `clear*`).
    Bool(bool),
    /// `details()`: the epoch and the members in leaf order.
    Details {
        /// `groupEpoch`.
        epoch: u64,
        /// `members`.
        members: Vec<Member>,
    },
    /// `exportSecret`: the epoch it was derived in; equal `EpochId`s give equal secrets.
    Exported {
        /// `groupEpoch`.
        epoch: u64,
        /// Which epoch's `exporter_secret` it is.
        epoch_id: EpochId,
    },
}
