//! The engines the harness knows, by name, whether or not they can run yet.
//!
//! Scripts, the interop matrix and `mlsconf` name engines as strings (`"ours"`,
//! `"openmls"`, `"mls-rs"`) and look them up here. An engine that is registered but not
//! available (its driver is not written yet) is still listed, so every report shows it,
//! as skipped with its reason: never as passed, never silently missing.

use crate::driver::Engine;

/// The reason given for an engine whose driver does not exist yet.
pub const NOT_AVAILABLE_YET: &str = "engine not available yet";

/// An engine that can be shared between the threads of a matrix run.
pub type SharedEngine = Box<dyn Engine + Send + Sync>;

/// One engine under its name: either ready to make clients, or unavailable with a reason.
pub struct Registered {
    name: &'static str,
    engine: Result<SharedEngine, &'static str>,
}

impl Registered {
    /// An engine that runs, listed under its own [`Engine::name`].
    pub fn available(engine: impl Engine + Send + Sync + 'static) -> Self {
        Registered {
            name: engine.name(),
            engine: Ok(Box::new(engine)),
        }
    }

    /// An engine that cannot run: every run that needs it is skipped with `reason`.
    pub fn unavailable(name: &'static str, reason: &'static str) -> Self {
        Registered {
            name,
            engine: Err(reason),
        }
    }

    /// An engine whose driver is still to come ([`NOT_AVAILABLE_YET`]).
    pub fn not_available_yet(name: &'static str) -> Self {
        Self::unavailable(name, NOT_AVAILABLE_YET)
    }

    /// The engine's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The engine, or why it cannot run.
    pub fn engine(&self) -> Result<&dyn Engine, &'static str> {
        match &self.engine {
            Ok(engine) => Ok(engine.as_ref()),
            Err(reason) => Err(reason),
        }
    }

    /// Whether the engine can run.
    pub fn is_available(&self) -> bool {
        self.engine.is_ok()
    }
}

/// A lookup of engines by name, in a fixed order (the order of reports and matrices).
pub struct Registry {
    engines: Vec<Registered>,
}

/// Why a name does not give a runnable engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The registry has no engine by that name (a typo in a script or option).
    Unknown(String),
    /// The engine is registered but cannot run; the reason says why.
    Unavailable {
        /// The engine's name.
        name: &'static str,
        /// Why it cannot run.
        reason: &'static str,
    },
}

impl std::fmt::Display for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lookup::Unknown(name) => write!(f, "no engine is named {name:?}"),
            Lookup::Unavailable { name, reason } => write!(f, "{name}: {reason}"),
        }
    }
}

impl Registry {
    /// A registry of `engines`, in this order. Names must be unique; a later entry with
    /// an earlier name is ignored.
    pub fn new(engines: Vec<Registered>) -> Self {
        let mut unique: Vec<Registered> = Vec::with_capacity(engines.len());
        for entry in engines {
            if !unique.iter().any(|e| e.name == entry.name) {
                unique.push(entry);
            }
        }
        Registry { engines: unique }
    }

    /// Every registered engine, available or not, in order.
    pub fn entries(&self) -> &[Registered] {
        &self.engines
    }

    /// Every registered name, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.engines.iter().map(Registered::name).collect()
    }

    /// The names of the engines that can run, in order.
    pub fn available(&self) -> Vec<&'static str> {
        self.engines
            .iter()
            .filter(|e| e.is_available())
            .map(Registered::name)
            .collect()
    }

    /// Whether `name` is registered at all.
    pub fn knows(&self, name: &str) -> bool {
        self.engines.iter().any(|e| e.name == name)
    }

    /// The runnable engine called `name`.
    pub fn engine(&self, name: &str) -> Result<&dyn Engine, Lookup> {
        let entry = self
            .engines
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(|| Lookup::Unknown(name.to_owned()))?;
        entry.engine().map_err(|reason| Lookup::Unavailable {
            name: entry.name,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::OpenMls;

    #[test]
    fn an_unavailable_engine_is_listed_but_gives_its_reason() {
        let registry = Registry::new(vec![
            Registered::not_available_yet("ours"),
            Registered::available(OpenMls),
        ]);
        assert_eq!(registry.names(), ["ours", "openmls"]);
        assert_eq!(registry.available(), ["openmls"]);
        assert_eq!(
            registry.engine("ours").err(),
            Some(Lookup::Unavailable {
                name: "ours",
                reason: NOT_AVAILABLE_YET
            })
        );
        assert!(registry.engine("openmls").is_ok());
    }

    #[test]
    fn an_unknown_name_is_not_an_unavailable_engine() {
        let registry = Registry::new(vec![Registered::available(OpenMls)]);
        assert_eq!(
            registry.engine("openmsl").err(),
            Some(Lookup::Unknown("openmsl".into()))
        );
        assert!(!registry.knows("openmsl"));
    }

    #[test]
    fn a_name_registered_twice_keeps_its_first_entry() {
        let registry = Registry::new(vec![
            Registered::available(OpenMls),
            Registered::not_available_yet("openmls"),
        ]);
        assert_eq!(registry.names(), ["openmls"]);
        assert!(registry.engine("openmls").is_ok());
    }
}
