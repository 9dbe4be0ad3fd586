//! The IDL's result dictionaries (`MLSCommitOutput`, `MLSReceived`, `MLSGroupDetails`,
//! `MLSGroupMember`, `MLSExporterOutput`) and the epoch encoding the page sees (spec
//! §5.4, §5.5).
//!
//! `Debug` never shows a plaintext or an exported secret, only their lengths.

use core::fmt;

use super::bytes::ObjectType;

/// The `groupEpoch` of a commit that removed us: `LE64(2^64 − 1)` (spec §5.4).
pub const REMOVED_EPOCH: [u8; 8] = [0xff; 8];

/// `LE64(epoch)`: an epoch as the page sees it (spec §5.4).
pub fn le64(epoch: u64) -> Vec<u8> {
    epoch.to_le_bytes().to_vec()
}

/// The epoch that `LE64` bytes encode, if they are 8 bytes long.
pub fn epoch_of(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.try_into().ok()?))
}

/// `dictionary MLSCommitOutput`.
#[derive(Clone, PartialEq, Eq)]
pub struct CommitOutput {
    /// `type`: always `"commit-output"`.
    pub kind: ObjectType,
    /// `groupId`.
    pub group_id: Vec<u8>,
    /// `commit`: an `MLSMessage` (PublicMessage).
    pub commit: Vec<u8>,
    /// `welcome`: an `MLSMessage` (Welcome), present iff the commit adds members.
    pub welcome: Option<Vec<u8>>,
    /// `groupInfo`: never present in this version.
    pub group_info: Option<Vec<u8>>,
    /// `ratchetTree`: never present in this version.
    pub ratchet_tree: Option<Vec<u8>>,
    /// `clientId`: never present in this version.
    pub client_id: Option<Vec<u8>>,
}

impl CommitOutput {
    /// The output of a commit of `group_id` (**commit.7**): `groupInfo`, `ratchetTree`
    /// and `clientId` omitted.
    pub fn new(group_id: Vec<u8>, commit: Vec<u8>, welcome: Option<Vec<u8>>) -> Self {
        CommitOutput {
            kind: ObjectType::CommitOutput,
            group_id,
            commit,
            welcome,
            group_info: None,
            ratchet_tree: None,
            client_id: None,
        }
    }
}

impl fmt::Debug for CommitOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommitOutput")
            .field("kind", &self.kind)
            .field("commit", &self.commit.len())
            .field("welcome", &self.welcome.as_ref().map(Vec::len))
            .finish_non_exhaustive()
    }
}

/// `dictionary MLSReceived`.
#[derive(Clone, PartialEq, Eq)]
pub struct Received {
    /// `type`: `"application-message-plaintext"`, `"commit-processed"` or
    /// `"commit-output"`.
    pub kind: ObjectType,
    /// `groupId`: the view's group id.
    pub group_id: Vec<u8>,
    /// `groupEpoch`: for `"commit-processed"`, the new epoch or [`REMOVED_EPOCH`].
    pub group_epoch: Option<Vec<u8>>,
    /// `content`: for `"application-message-plaintext"`, the plaintext.
    pub content: Option<Vec<u8>>,
    /// `commitOutput`: for `"commit-output"`, the auto-commit.
    pub commit_output: Option<CommitOutput>,
}

impl Received {
    /// A processed commit that took the group to `group_epoch` (LE64 bytes).
    pub fn commit_processed(group_id: Vec<u8>, group_epoch: Vec<u8>) -> Self {
        Received {
            kind: ObjectType::CommitProcessed,
            group_id,
            group_epoch: Some(group_epoch),
            content: None,
            commit_output: None,
        }
    }

    /// A received application message.
    pub fn plaintext(group_id: Vec<u8>, content: Vec<u8>) -> Self {
        Received {
            kind: ObjectType::ApplicationMessagePlaintext,
            group_id,
            group_epoch: None,
            content: Some(content),
            commit_output: None,
        }
    }

    /// A received proposal and the commit made of it.
    pub fn commit_output(group_id: Vec<u8>, output: CommitOutput) -> Self {
        Received {
            kind: ObjectType::CommitOutput,
            group_id,
            group_epoch: None,
            content: None,
            commit_output: Some(output),
        }
    }
}

impl fmt::Debug for Received {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("kind", &self.kind)
            .field("group_epoch", &self.group_epoch)
            .field("content", &self.content.as_ref().map(Vec::len))
            .field("commit_output", &self.commit_output)
            .finish_non_exhaustive()
    }
}

/// `dictionary MLSGroupMember`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMember {
    /// `clientId`: SHA-256 of the member's signature key (spec §5.4).
    pub client_id: Vec<u8>,
    /// `credential`: the encoded `Credential` of the member's leaf.
    pub credential: Vec<u8>,
}

/// `dictionary MLSGroupDetails`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDetails {
    /// `type`: always `"group-info"` (spec §10, difference 8).
    pub kind: ObjectType,
    /// `groupId`.
    pub group_id: Vec<u8>,
    /// `groupEpoch`: LE64 of the current epoch.
    pub group_epoch: Vec<u8>,
    /// `members`, in leaf order.
    pub members: Vec<GroupMember>,
}

/// `dictionary MLSExporterOutput`.
#[derive(Clone, PartialEq, Eq)]
pub struct ExporterOutput {
    /// `type`: always `"exporter-output"`.
    pub kind: ObjectType,
    /// `groupId`.
    pub group_id: Vec<u8>,
    /// `groupEpoch`: LE64 of the epoch the secret belongs to.
    pub group_epoch: Vec<u8>,
    /// `label`: the label bytes used.
    pub label: Vec<u8>,
    /// `context`: the context bytes used (spec §10, difference 1).
    pub context: Vec<u8>,
    /// `secret`.
    pub secret: Vec<u8>,
}

impl fmt::Debug for ExporterOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExporterOutput")
            .field("kind", &self.kind)
            .field("group_epoch", &self.group_epoch)
            .field("label", &self.label)
            .field("context", &self.context)
            .field("secret", &self.secret.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_one_is_one_followed_by_seven_zero_bytes() {
        assert_eq!(le64(1), [1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(epoch_of(&le64(1)), Some(1));
        assert_eq!(epoch_of(&REMOVED_EPOCH), Some(u64::MAX));
        assert_eq!(epoch_of(&[1]), None);
    }

    #[test]
    fn the_debug_forms_show_no_secret_and_no_plaintext() {
        let r = Received::plaintext(vec![1], b"hello".to_vec());
        assert!(!format!("{r:?}").contains("104"));
        let e = ExporterOutput {
            kind: ObjectType::ExporterOutput,
            group_id: vec![],
            group_epoch: le64(0),
            label: vec![],
            context: vec![],
            secret: vec![0xab; 4],
        };
        assert!(!format!("{e:?}").contains("171"));
    }
}
