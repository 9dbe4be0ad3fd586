//! Checks a script makes sense before any engine plays it, so that a mistake in a script
//! is reported as such and not as a disagreement between engines.

use super::script::{Action, Order, Script};
use crate::drivers::Registry;

/// Every problem of `script`, in the order found; empty when it can be played. Engine
/// names are checked against `registry` (an unavailable engine is not a problem: runs
/// that need it are skipped).
pub fn problems(script: &Script, registry: &Registry) -> Vec<String> {
    let mut found = Vec::new();
    if script.name.trim().is_empty() {
        found.push("the script has no name".to_owned());
    }
    check_clients(script, registry, &mut found);
    check_steps(script, &mut found);
    found
}

/// All problems joined into one message, or `Ok` when there are none.
pub fn validate(script: &Script, registry: &Registry) -> Result<(), String> {
    let found = problems(script, registry);
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!("script {:?}: {}", script.name, found.join("; ")))
    }
}

fn check_clients(script: &Script, registry: &Registry, found: &mut Vec<String>) {
    if script.clients.is_empty() {
        found.push("the script declares no client".to_owned());
    }
    for (i, client) in script.clients.iter().enumerate() {
        let name = &client.name;
        if name.is_empty() || name.contains("..") {
            found.push(format!(
                "client {} has an empty name or one containing \"..\"",
                i + 1
            ));
        }
        if script.clients[..i].iter().any(|c| c.name == *name) {
            found.push(format!("client {name} is declared twice"));
        }
        match (&client.role, &client.engine) {
            (Some(_), Some(_)) => {
                found.push(format!("client {name} has both a role and an engine"))
            }
            (None, None) => found.push(format!("client {name} needs a role or an engine")),
            (None, Some(engine)) if !registry.knows(engine) => found.push(format!(
                "client {name} names the engine {engine:?}, which is not one of {:?}",
                registry.names()
            )),
            _ => {}
        }
    }
}

fn check_steps(script: &Script, found: &mut Vec<String>) {
    match script.steps.first() {
        Some(Action::CreateGroup { .. }) => {}
        Some(_) => found.push("the first step must be create_group".to_owned()),
        None => found.push("the script has no steps".to_owned()),
    }
    let declared = |name: &str| script.clients.iter().any(|c| c.name == name);
    for (i, action) in script.steps.iter().enumerate() {
        let n = i + 1;
        if i > 0 && matches!(action, Action::CreateGroup { .. }) {
            found.push(format!(
                "step {n}: the group can only be created once, first"
            ));
        }
        for name in action.names() {
            if !declared(name) {
                found.push(format!("step {n}: {name} is not a declared client"));
            }
        }
        match action {
            Action::Add { members, .. }
            | Action::Remove { members, .. }
            | Action::ProposeAdd { members, .. }
            | Action::ProposeRemove { members, .. }
                if members.is_empty() =>
            {
                found.push(format!("step {n}: the member list is empty"));
            }
            Action::CompetingCommits { by, .. } if by.len() < 2 => {
                found.push(format!("step {n}: competing commits need two committers"));
            }
            Action::SendOutOfOrder { messages, order } => {
                let mut indices = order.indices(messages.len());
                indices.sort_unstable();
                if messages.is_empty() || indices != (0..messages.len()).collect::<Vec<_>>() {
                    let shown = match order {
                        Order::Explicit(list) => format!("{list:?}"),
                        Order::Named(named) => format!("{named:?}"),
                    };
                    found.push(format!(
                        "step {n}: the order {shown} is not a permutation of the {} messages",
                        messages.len()
                    ));
                }
            }
            Action::RegisterPsk { secret, .. } if hex::decode(secret).is_err() => {
                found.push(format!("step {n}: the PSK secret is not hex"));
            }
            Action::CheckExporter { length, .. } if *length == 0 || *length > 1024 => {
                found.push(format!("step {n}: exporter lengths run from 1 to 1024"));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers;

    fn problems_of(json: &str) -> Vec<String> {
        problems(&Script::parse(json).unwrap(), &drivers::all())
    }

    #[test]
    fn a_sound_script_has_no_problems() {
        let found = problems_of(
            r#"{"name":"ok","clients":[{"name":"a","role":"creator"},{"name":"b","engine":"ours"}],
                "steps":[{"action":"create_group","by":"a"},{"action":"add","by":"a","members":["b"]}]}"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn undeclared_names_and_unknown_engines_are_reported() {
        let found = problems_of(
            r#"{"name":"bad","clients":[{"name":"a","engine":"openmsl"}],
                "steps":[{"action":"create_group","by":"a"},{"action":"send","by":"zed"}]}"#,
        );
        assert!(found.iter().any(|p| p.contains("openmsl")), "{found:?}");
        assert!(found.iter().any(|p| p.contains("zed")), "{found:?}");
    }

    #[test]
    fn the_group_must_be_created_first_and_once() {
        let found = problems_of(
            r#"{"name":"bad","clients":[{"name":"a","role":"creator"}],
                "steps":[{"action":"send","by":"a"},{"action":"create_group","by":"a"}]}"#,
        );
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn an_out_of_order_batch_must_deliver_every_message_once() {
        let found = problems_of(
            r#"{"name":"bad","clients":[{"name":"a","role":"creator"}],
                "steps":[{"action":"create_group","by":"a"},
                         {"action":"send_out_of_order","messages":[{"by":"a"},{"by":"a"}],
                          "order":[1,1]}]}"#,
        );
        assert!(found[0].contains("permutation"), "{found:?}");
    }

    #[test]
    fn a_client_needs_exactly_one_of_role_and_engine() {
        let found = problems_of(
            r#"{"name":"bad","clients":[{"name":"a"},{"name":"b","role":"joiner","engine":"ours"}],
                "steps":[{"action":"create_group","by":"a"}]}"#,
        );
        assert_eq!(found.len(), 2, "{found:?}");
    }
}
