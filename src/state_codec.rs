//! The encoding of persisted state: the writer and readers that every persistent state
//! encoding of the crate shares (the group's, in [`crate::group`]'s `persist.rs`, and the
//! parts of it that the secret tree and TreeKEM's private keys write themselves).
//!
//! The encoding is the TLS presentation language of RFC 9420 §2.1 (the crate's [`Codec`]
//! and [`Reader`]). It holds secrets: [`StateWriter`] writes into [`Zeroizing`] buffers and
//! never leaves a copy of a secret in memory it frees, and the readers are strict and
//! return typed errors, never panic.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::codec::{Codec, Reader, write_varint};
use crate::crypto::Secret;
use crate::error::DecodeError;

/// A growing buffer for secret state. When it runs out of room it moves to a larger
/// buffer and zeroizes the old one, so no copy of what it held is left in freed memory;
/// whatever it holds at the end is zeroized when dropped.
pub(crate) struct StateWriter {
    out: Zeroizing<Vec<u8>>,
}

impl StateWriter {
    /// An empty buffer.
    pub(crate) fn new() -> Self {
        StateWriter {
            out: Zeroizing::new(Vec::new()),
        }
    }

    /// Appends raw bytes.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        let needed = self.out.len() + bytes.len();
        if needed > self.out.capacity() {
            let capacity = needed.max(2 * self.out.capacity()).max(256);
            let mut bigger = Zeroizing::new(Vec::with_capacity(capacity));
            bigger.extend_from_slice(&self.out);
            // Dropping the old buffer zeroizes it.
            self.out = bigger;
        }
        self.out.extend_from_slice(bytes);
    }

    /// Appends a `uint8`.
    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes(&[value]);
    }

    /// Appends a big-endian `uint16`.
    pub(crate) fn u16(&mut self, value: u16) {
        self.bytes(&value.to_be_bytes());
    }

    /// Appends a big-endian `uint32`.
    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes(&value.to_be_bytes());
    }

    /// Appends a big-endian `uint64`.
    pub(crate) fn u64(&mut self, value: u64) {
        self.bytes(&value.to_be_bytes());
    }

    /// Appends an `opaque data<V>`.
    pub(crate) fn opaque(&mut self, bytes: &[u8]) {
        let mut header = Vec::with_capacity(4);
        write_varint(&mut header, bytes.len());
        self.bytes(&header);
        self.bytes(bytes);
    }

    /// Appends a secret as an `opaque data<V>`.
    pub(crate) fn secret(&mut self, secret: &Secret) {
        self.opaque(secret.as_bytes());
    }

    /// Appends the wire encoding of a public value.
    pub(crate) fn public(&mut self, value: &impl Codec) {
        self.bytes(&value.to_bytes());
    }

    /// Appends a vector whose body `body` writes, prefixed by its length.
    pub(crate) fn vector(&mut self, body: impl FnOnce(&mut StateWriter)) {
        let mut inner = StateWriter::new();
        body(&mut inner);
        self.opaque(&inner.out);
    }

    /// The bytes written.
    pub(crate) fn finish(self) -> Zeroizing<Vec<u8>> {
        self.out
    }
}

/// The error for a field that holds a value the state cannot have.
pub(crate) fn invalid(field: &'static str, value: u64) -> DecodeError {
    DecodeError::InvalidValue { field, value }
}

/// Reads a secret written by [`StateWriter::secret`].
pub(crate) fn read_secret(r: &mut Reader<'_>) -> core::result::Result<Secret, DecodeError> {
    Ok(Secret::new(r.opaque()?.to_vec()))
}

/// Reads a secret that must be `len` bytes long.
pub(crate) fn read_secret_of_len(
    r: &mut Reader<'_>,
    len: usize,
    field: &'static str,
) -> core::result::Result<Secret, DecodeError> {
    let secret = read_secret(r)?;
    if secret.len() != len {
        return Err(invalid(field, secret.len() as u64));
    }
    Ok(secret)
}

/// Reads a `uint8` that must be 0 (false) or 1 (true).
pub(crate) fn read_flag(
    r: &mut Reader<'_>,
    field: &'static str,
) -> core::result::Result<bool, DecodeError> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(invalid(field, other.into())),
    }
}

/// Reads a vector whose items `item` reads one at a time.
pub(crate) fn read_list<T, E: From<DecodeError>>(
    r: &mut Reader<'_>,
    mut item: impl FnMut(&mut Reader<'_>) -> core::result::Result<T, E>,
) -> core::result::Result<Vec<T>, E> {
    let mut body = r.vector()?;
    let mut items = Vec::new();
    while !body.is_empty() {
        items.push(item(&mut body)?);
    }
    Ok(items)
}

/// Reads a vector of map entries, which must come in strictly increasing key order (so
/// that the map encodes back to the same bytes). `field` names the key in the error.
pub(crate) fn read_map<K: Ord, V, E: From<DecodeError>>(
    r: &mut Reader<'_>,
    field: &'static str,
    mut entry: impl FnMut(&mut Reader<'_>) -> core::result::Result<(K, V), E>,
) -> core::result::Result<BTreeMap<K, V>, E> {
    let mut body = r.vector()?;
    let mut map = BTreeMap::new();
    while !body.is_empty() {
        let (key, value) = entry(&mut body)?;
        if map.last_key_value().is_some_and(|(last, _)| *last >= key) {
            return Err(invalid(field, map.len() as u64).into());
        }
        map.insert(key, value);
    }
    Ok(map)
}
