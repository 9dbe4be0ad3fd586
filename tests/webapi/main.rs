//! The Web API conformance tests of spec §12: one module per IDL member, each a table of
//! passing and failing inputs with the error name asserted, WPT-style, and the
//! cross-cutting files (`conversion`, `pending_state`, `defaults`, `storage`).
//!
//! Every failing row also checks that the origin's stored state is byte for byte what it
//! was before the call (spec §3.2). The explainer's examples are in
//! `tests/explainer_examples.rs`.

mod support;

mod add;
mod apply_pending_commit;
mod byte_layouts;
mod clear_pending_commit;
mod clear_pending_proposals;
mod client_id;
mod close;
mod constructor;
mod conversion;
mod defaults;
mod details;
mod export_secret;
mod generate_credential;
mod generate_identity;
mod generate_key_package;
mod get_group_epoch_from_message;
mod get_group_id_from_message;
mod group_create;
mod group_get;
mod group_id;
mod group_join;
mod has_pending_commit;
mod has_pending_proposals;
mod mls_delete_state;
mod pending_state;
mod propose_add;
mod propose_remove;
mod receive;
mod remove;
mod send;
mod storage;
mod view_delete_state;
