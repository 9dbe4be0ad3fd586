//! A client of another engine whose answers a test changes: the planted bugs of the
//! explorer's tests and the lies of the runner's tests. An [`Interceptor`] sees the
//! answers that reveal a wrong engine (decrypting, processing a handshake, the epoch
//! authenticator) and may change them; everything else goes to the wrapped client as is.

use crate::driver::{
    Client, CommitOutput, CommitRequest, DriverResult, Handshake, Member, TreeDelivery,
};

/// What a test changes in a wrapped client's answers. Each method gets the wrapped
/// client; the defaults pass the call through unchanged.
pub trait Interceptor {
    /// The engine name the wrapped client reports.
    fn engine(&self) -> &'static str;

    /// [`Client::unprotect`].
    fn unprotect(&mut self, inner: &mut dyn Client, message: &[u8]) -> DriverResult<Vec<u8>> {
        inner.unprotect(message)
    }

    /// [`Client::process_handshake`].
    fn process_handshake(
        &mut self,
        inner: &mut dyn Client,
        message: &[u8],
    ) -> DriverResult<Handshake> {
        inner.process_handshake(message)
    }

    /// [`Client::epoch_authenticator`].
    fn epoch_authenticator(&self, inner: &dyn Client) -> DriverResult<Vec<u8>> {
        inner.epoch_authenticator()
    }
}

/// `inner`, with `interceptor` changing its answers.
pub struct Intercepted<I> {
    /// The client of the real engine.
    pub inner: Box<dyn Client>,
    /// What the test changes.
    pub interceptor: I,
}

impl<I: Interceptor> Client for Intercepted<I> {
    fn engine(&self) -> &'static str {
        self.interceptor.engine()
    }
    fn unprotect(&mut self, message: &[u8]) -> DriverResult<Vec<u8>> {
        self.interceptor.unprotect(self.inner.as_mut(), message)
    }
    fn process_handshake(&mut self, message: &[u8]) -> DriverResult<Handshake> {
        self.interceptor
            .process_handshake(self.inner.as_mut(), message)
    }
    fn epoch_authenticator(&self) -> DriverResult<Vec<u8>> {
        self.interceptor.epoch_authenticator(self.inner.as_ref())
    }
    fn key_package(&mut self) -> DriverResult<Vec<u8>> {
        self.inner.key_package()
    }
    fn create_group(&mut self, group_id: &[u8]) -> DriverResult<()> {
        self.inner.create_group(group_id)
    }
    fn join_from_welcome(&mut self, welcome: &[u8], tree: Option<&[u8]>) -> DriverResult<()> {
        self.inner.join_from_welcome(welcome, tree)
    }
    fn join_by_external_commit(
        &mut self,
        group_info: &[u8],
        tree: Option<&[u8]>,
    ) -> DriverResult<Vec<u8>> {
        self.inner.join_by_external_commit(group_info, tree)
    }
    fn group_info(&mut self, tree: TreeDelivery) -> DriverResult<Vec<u8>> {
        self.inner.group_info(tree)
    }
    fn ratchet_tree(&self) -> DriverResult<Vec<u8>> {
        self.inner.ratchet_tree()
    }
    fn propose_add(&mut self, key_package: &[u8]) -> DriverResult<Vec<u8>> {
        self.inner.propose_add(key_package)
    }
    fn propose_remove(&mut self, leaf_index: u32) -> DriverResult<Vec<u8>> {
        self.inner.propose_remove(leaf_index)
    }
    fn propose_self_update(&mut self) -> DriverResult<Vec<u8>> {
        self.inner.propose_self_update()
    }
    fn propose_external_psk(&mut self, psk_id: &[u8]) -> DriverResult<Vec<u8>> {
        self.inner.propose_external_psk(psk_id)
    }
    fn commit(&mut self, request: &CommitRequest) -> DriverResult<CommitOutput> {
        self.inner.commit(request)
    }
    fn apply_pending_commit(&mut self) -> DriverResult<()> {
        self.inner.apply_pending_commit()
    }
    fn discard_pending_commit(&mut self) -> DriverResult<()> {
        self.inner.discard_pending_commit()
    }
    fn protect(&mut self, plaintext: &[u8]) -> DriverResult<Vec<u8>> {
        self.inner.protect(plaintext)
    }
    fn register_external_psk(&mut self, psk_id: &[u8], secret: &[u8]) -> DriverResult<()> {
        self.inner.register_external_psk(psk_id, secret)
    }
    fn export_secret(&self, label: &[u8], context: &[u8], length: usize) -> DriverResult<Vec<u8>> {
        self.inner.export_secret(label, context, length)
    }
    fn epoch(&self) -> DriverResult<u64> {
        self.inner.epoch()
    }
    fn members(&self) -> DriverResult<Vec<Member>> {
        self.inner.members()
    }
    fn own_leaf_index(&self) -> DriverResult<u32> {
        self.inner.own_leaf_index()
    }
}
