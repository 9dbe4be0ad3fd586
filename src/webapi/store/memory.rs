//! The in-memory backend of `Store::in_memory` (and so of `Mls::in_memory`): the same
//! sealed records under the same locators as on disk, in a map that lives as long as the
//! store and its clones (spec §9.3).
//!
//! Records are sealed here too, so that every rule of spec §9.2 (a record that fails to
//! open is an error) behaves the same in memory as on disk, and every test through
//! `Mls::in_memory` runs the sealing path.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::sealing::{Locator, OriginKey};

/// The state of one in-memory origin: its key (none until the first write) and its sealed
/// records.
#[derive(Default)]
pub struct MemoryOrigin {
    /// The origin key; `None` exactly when there are no records.
    pub key: Option<OriginKey>,
    /// Sealed records by locator.
    pub records: BTreeMap<Locator, Vec<u8>>,
}

/// A shared handle on a [`MemoryOrigin`]; clones see the same origin.
#[derive(Clone, Default)]
pub struct Memory(Arc<Mutex<MemoryOrigin>>);

impl Memory {
    /// Takes the origin's lock for one job (spec §3.2).
    pub fn lock(&self) -> MutexGuard<'_, MemoryOrigin> {
        // A job that panicked changed nothing: changes are only applied at commit, by
        // code that cannot panic halfway. The state is therefore still whole.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
