//! Which engine plays which client in one run of a script.
//!
//! A script binds clients to roles (`creator`, `joiner`) or to fixed engines. A
//! [`Binding`] gives the roles engines: a creator × joiner pair, or a mixed group in
//! which the clients take the engines in turn. Clients with a fixed engine keep it.

use serde::Serialize;

use super::script::{ClientSpec, Role, Script};

/// How the roles of a script are bound to engines for one run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Binding {
    /// `creator` clients run on one engine, `joiner` clients on another (or the same).
    Pair {
        /// The engine of the `creator` role.
        creator: String,
        /// The engine of the `joiner` role.
        joiner: String,
    },
    /// The clients, in declaration order, take `engines` in turn; roles are ignored.
    Mixed {
        /// The engines, in the order they are handed out.
        engines: Vec<String>,
    },
}

impl Binding {
    /// A creator × joiner pair.
    pub fn pair(creator: &str, joiner: &str) -> Binding {
        Binding::Pair {
            creator: creator.to_owned(),
            joiner: joiner.to_owned(),
        }
    }

    /// Both roles on `engine` (the pair of `engine` with itself); clients with a fixed
    /// engine keep it.
    pub fn only(engine: &str) -> Binding {
        Binding::pair(engine, engine)
    }

    /// Every creator × joiner pair over `engines`, creator-major.
    pub fn pairs(engines: &[&str]) -> Vec<Binding> {
        engines
            .iter()
            .flat_map(|c| engines.iter().map(move |j| Binding::pair(c, j)))
            .collect()
    }

    /// Mixed groups over `engines`, one per rotation, so that each engine gets to be the
    /// first (the creator, in most scripts). None for fewer than two engines.
    pub fn mixed_rotations(engines: &[&str]) -> Vec<Binding> {
        if engines.len() < 2 {
            return Vec::new();
        }
        (0..engines.len())
            .map(|first| Binding::Mixed {
                engines: engines
                    .iter()
                    .cycle()
                    .skip(first)
                    .take(engines.len())
                    .map(|e| (*e).to_owned())
                    .collect(),
            })
            .collect()
    }

    /// A readable name: `openmls creates, mls-rs joins`, `openmls creates and joins`, or
    /// `mixed: mls-rs, openmls`.
    pub fn label(&self) -> String {
        match self {
            Binding::Pair { creator, joiner } if creator == joiner => {
                format!("{creator} creates and joins")
            }
            Binding::Pair { creator, joiner } => format!("{creator} creates, {joiner} joins"),
            Binding::Mixed { engines } => format!("mixed: {}", engines.join(", ")),
        }
    }

    /// The engine of the client at `index` (in the script's declaration order).
    pub fn engine_of(&self, index: usize, client: &ClientSpec) -> String {
        if let Some(engine) = &client.engine {
            return engine.clone();
        }
        match self {
            Binding::Pair { creator, joiner } => match client.role {
                Some(Role::Creator) => creator.clone(),
                Some(Role::Joiner) | None => joiner.clone(),
            },
            Binding::Mixed { engines } => engines
                .get(index % engines.len().max(1))
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// Every client's engine, in declaration order: (client, engine).
    pub fn assign(&self, script: &Script) -> Vec<(String, String)> {
        script
            .clients
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), self.engine_of(i, c)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(name: &str, role: Option<Role>, engine: Option<&str>) -> ClientSpec {
        ClientSpec {
            name: name.into(),
            count: None,
            role,
            engine: engine.map(str::to_owned),
        }
    }

    #[test]
    fn a_pair_binds_each_role_and_leaves_fixed_engines_alone() {
        let pair = Binding::pair("openmls", "mls-rs");
        let creator = client("a", Some(Role::Creator), None);
        let joiner = client("b", Some(Role::Joiner), None);
        let fixed = client("c", None, Some("ours"));
        assert_eq!(pair.engine_of(0, &creator), "openmls");
        assert_eq!(pair.engine_of(1, &joiner), "mls-rs");
        assert_eq!(pair.engine_of(2, &fixed), "ours");
        assert_eq!(pair.label(), "openmls creates, mls-rs joins");
    }

    #[test]
    fn every_ordered_pair_is_listed_once() {
        let pairs = Binding::pairs(&["a", "b", "c"]);
        assert_eq!(pairs.len(), 9);
        assert_eq!(pairs[1], Binding::pair("a", "b"));
        assert_eq!(pairs[3], Binding::pair("b", "a"));
    }

    #[test]
    fn mixed_groups_rotate_so_each_engine_comes_first_once() {
        let mixed = Binding::mixed_rotations(&["a", "b", "c"]);
        let firsts: Vec<String> = mixed
            .iter()
            .map(|b| b.engine_of(0, &client("x", Some(Role::Creator), None)))
            .collect();
        assert_eq!(firsts, ["a", "b", "c"]);
        assert_eq!(
            mixed[1].engine_of(4, &client("y", Some(Role::Creator), None)),
            "c"
        );
        assert!(Binding::mixed_rotations(&["a"]).is_empty());
    }
}
