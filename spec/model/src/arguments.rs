//! Input conversion (spec §3.3) and the decoding steps that come before any state is read
//! (spec §3.4, points 1–3), for the abstract arguments of [`crate::call`].

use crate::call::{ClientArg, CredentialArg, MsgArg};
use crate::error::{ErrorName, Result};
use crate::origin_state::{Message, World};
use crate::tokens::{Client, CredentialName, Msg};

/// *bytes(clientId, "client-identifier", false)*: the client it names, if any.
pub(crate) fn client_id(arg: ClientArg) -> Result<Option<Client>> {
    match arg {
        // spec: bytes.4, bytes.1
        ClientArg::Empty | ClientArg::WrongType => Err(ErrorName::TypeError),
        ClientArg::Unknown => Ok(None),
        ClientArg::Client(c) => Ok(Some(c)),
    }
}

/// *bytes(credential, "credential-basic", false)* (synchronous).
pub(crate) fn credential_bytes(arg: CredentialArg) -> Result<CredentialArg> {
    match arg {
        // spec: bytes.4
        CredentialArg::Empty => Err(ErrorName::TypeError),
        other => Ok(other),
    }
}

/// *decode-credential* (spec §6.2), in the job.
pub(crate) fn decode_credential(arg: CredentialArg) -> Result<CredentialName> {
    match arg {
        CredentialArg::Basic(name) => Ok(name),
        // spec: credential.2
        CredentialArg::Reserved => Err(ErrorName::DataError),
        // spec: credential.3
        CredentialArg::X509 => Err(ErrorName::NotSupportedError),
        CredentialArg::Empty => Err(ErrorName::TypeError),
    }
}

/// *bytes(message, …, false)* (synchronous).
pub(crate) fn message_bytes(arg: MsgArg) -> Result<MsgArg> {
    match arg {
        // spec: bytes.4
        MsgArg::Empty => Err(ErrorName::TypeError),
        other => Ok(other),
    }
}

/// A message that decoded (spec **message.1**): which one, and whether its last byte was
/// flipped (it decodes, but no signature, tag or AEAD over it holds).
#[derive(Clone, Copy)]
pub(crate) struct Decoded {
    pub msg: Msg,
    pub flipped: bool,
}

/// *decode-message* (spec §6.1).
pub(crate) fn decode_message(arg: MsgArg) -> Result<Decoded> {
    match arg {
        MsgArg::Msg(msg) => Ok(Decoded {
            msg,
            flipped: false,
        }),
        MsgArg::Flipped(msg) => Ok(Decoded { msg, flipped: true }),
        // spec: message.1
        MsgArg::Garbage => Err(ErrorName::DataError),
        MsgArg::Empty => Err(ErrorName::TypeError),
    }
}

impl World {
    /// *decode-message* followed by "if `M.wire_format` is not key_package, reject with
    /// `DataError`" (spec **add.3**, **proposeAdd.3**).
    pub(crate) fn decode_key_package(&self, arg: MsgArg) -> Result<Decoded> {
        let m = decode_message(arg)?;
        match self.messages[&m.msg] {
            Message::KeyPackage { .. } => Ok(m),
            _ => Err(ErrorName::DataError),
        }
    }
}
