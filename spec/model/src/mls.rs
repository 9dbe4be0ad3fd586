//! The `MLS` interface (spec §7).

use crate::arguments::{
    client_id, credential_bytes, decode_credential, decode_message, message_bytes,
};
use crate::call::{ClientArg, CredentialArg, GroupArg, Member, MsgArg, Outcome};
use crate::error::{ErrorName, Result};
use crate::group_state::GroupState;
use crate::origin_state::{Identity, Message, World};
use crate::tokens::{Client, EpochId, Group, Origin, ViewKey};

impl World {
    /// `MLS.deleteState()` (spec §7.2): the origin's state becomes empty.
    pub fn mls_delete_state(&mut self, origin: Origin) -> Result<Outcome> {
        // spec: MLS.deleteState.2
        for identity in self.identities.values_mut() {
            if identity.origin == origin {
                identity.alive = false;
            }
        }
        let identities = &self.identities;
        let messages = &self.messages;
        self.stored_key_packages.retain(|kp| match messages[kp] {
            Message::KeyPackage { owner, .. } => identities[&owner].origin != origin,
            _ => true,
        });
        self.groups
            .retain(|view, _| identities[&view.client].origin != origin);
        // spec: MLS.deleteState.4
        Ok(Outcome::Done)
    }

    /// `generateIdentity()` (spec §7.3).
    pub fn generate_identity(&mut self, origin: Origin) -> Result<Outcome> {
        // spec: generateIdentity.2 – generateIdentity.4
        let client = Client(self.token());
        self.identities.insert(
            client,
            Identity {
                origin,
                alive: true,
            },
        );
        // spec: generateIdentity.6
        Ok(Outcome::ClientId(client))
    }

    /// `generateCredential(credentialContent)` (spec §7.4), a pure function.
    pub fn generate_credential(&mut self, empty: bool) -> Result<Outcome> {
        // spec: generateCredential.1 (bytes.4)
        if empty {
            return Err(ErrorName::TypeError);
        }
        // spec: generateCredential.4
        Ok(Outcome::Credential)
    }

    /// `generateKeyPackage(clientId, credential)` (spec §7.5).
    pub fn generate_key_package(
        &mut self,
        origin: Origin,
        client: ClientArg,
        credential: CredentialArg,
    ) -> Result<Outcome> {
        // spec: generateKeyPackage.1, generateKeyPackage.2
        let cid = client_id(client)?;
        let cb = credential_bytes(credential)?;
        // spec: generateKeyPackage.4
        let credential = decode_credential(cb)?;
        // spec: generateKeyPackage.5
        let owner = self.identity(origin, cid)?;
        // spec: generateKeyPackage.6 – generateKeyPackage.9
        let kp = self.output(Message::KeyPackage { owner, credential });
        self.stored_key_packages.insert(kp);
        // spec: generateKeyPackage.12
        Ok(Outcome::KeyPackage(kp))
    }

    /// `groupCreate(clientId, credential)` (spec §7.6).
    pub fn group_create(
        &mut self,
        origin: Origin,
        client: ClientArg,
        credential: CredentialArg,
    ) -> Result<Outcome> {
        // spec: groupCreate.1, groupCreate.2
        let cid = client_id(client)?;
        let cb = credential_bytes(credential)?;
        // spec: groupCreate.4
        let credential = decode_credential(cb)?;
        // spec: groupCreate.5
        let client = self.identity(origin, cid)?;
        // spec: groupCreate.6
        let group = Group(self.token());
        self.group_ids.insert(group);
        // spec: groupCreate.7, groupCreate.8
        let epoch_id = EpochId(self.token());
        let tree = vec![Some(Member { client, credential })];
        let view = ViewKey { client, group };
        self.groups.insert(view, GroupState::new(0, epoch_id, tree));
        // spec: groupCreate.11
        self.views.insert(view);
        Ok(Outcome::View(Some(view)))
    }

    /// `groupGet(groupId, clientId)` (spec §7.7).
    pub fn group_get(
        &mut self,
        origin: Origin,
        group: GroupArg,
        client: ClientArg,
    ) -> Result<Outcome> {
        // spec: groupGet.1
        let gid = match group {
            GroupArg::Empty => return Err(ErrorName::TypeError),
            GroupArg::Unknown => None,
            GroupArg::Group(g) => Some(g),
        };
        // spec: groupGet.2
        let cid = client_id(client)?;
        // spec: groupGet.4
        let (Some(group), Some(client)) = (gid, cid) else {
            return Ok(Outcome::View(None));
        };
        let view = ViewKey { client, group };
        if self.origin_of(view) != Some(origin) || self.group(view).is_none() {
            return Ok(Outcome::View(None));
        }
        // spec: groupGet.5
        self.views.insert(view);
        Ok(Outcome::View(Some(view)))
    }

    /// `groupJoin(clientId, welcome)` (spec §7.8).
    pub fn group_join(
        &mut self,
        origin: Origin,
        client: ClientArg,
        welcome: MsgArg,
    ) -> Result<Outcome> {
        // spec: groupJoin.1, groupJoin.2
        let cid = client_id(client)?;
        let wb = message_bytes(welcome)?;
        // spec: groupJoin.4
        let decoded = decode_message(wb)?;
        let Message::Welcome {
            group,
            epoch,
            epoch_id,
            tree,
            new_members,
        } = self.messages[&decoded.msg].clone()
        else {
            return Err(ErrorName::DataError);
        };
        // spec: groupJoin.5 (every Welcome of the model is for 0x0001)
        // spec: groupJoin.6
        let client = self.identity(origin, cid)?;
        // spec: groupJoin.7
        let key_package = new_members
            .iter()
            .copied()
            .find(|kp| {
                self.stored_key_packages.contains(kp)
                    && matches!(self.messages[kp], Message::KeyPackage { owner, .. } if owner == client)
            })
            .ok_or(ErrorName::NotFoundError)?;
        // spec: groupJoin.10 (the flipped byte is in the AEAD tag of the GroupInfo)
        if decoded.flipped {
            return Err(ErrorName::OperationError);
        }
        // spec: groupJoin.16
        let view = ViewKey { client, group };
        if self.group(view).is_some() {
            return Err(ErrorName::InvalidStateError);
        }
        // spec: groupJoin.17
        self.groups
            .insert(view, GroupState::new(epoch, epoch_id, tree));
        self.stored_key_packages.remove(&key_package);
        // spec: groupJoin.19
        self.views.insert(view);
        Ok(Outcome::View(Some(view)))
    }

    /// `getGroupIdFromMessage(message)` (spec §7.9) and `getGroupEpochFromMessage`
    /// (spec §7.10): what the message claims, unauthenticated (a flipped byte changes
    /// nothing).
    pub fn get_group_and_epoch_from_message(
        &self,
        message: MsgArg,
        epoch: bool,
    ) -> Result<Outcome> {
        // spec: getGroupIdFromMessage.1
        let b = message_bytes(message)?;
        // spec: getGroupIdFromMessage.3
        let m = decode_message(b)?;
        // spec: getGroupIdFromMessage.4, getGroupIdFromMessage.5
        let (g, e) = self.messages[&m.msg]
            .claimed_group_and_epoch()
            .ok_or(ErrorName::NotSupportedError)?;
        // spec: getGroupIdFromMessage.6, getGroupEpochFromMessage.6
        Ok(if epoch {
            Outcome::Epoch(e)
        } else {
            Outcome::GroupId(g)
        })
    }

    /// "If the origin has no identity *cid*, reject with `NotFoundError`" (spec
    /// **generateKeyPackage.5**, **groupCreate.5**, **groupJoin.6**).
    fn identity(&self, origin: Origin, cid: Option<Client>) -> Result<Client> {
        cid.filter(|c| self.has_identity(origin, *c))
            .ok_or(ErrorName::NotFoundError)
    }
}
