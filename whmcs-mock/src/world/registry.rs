//! Which code answers each action: a typed handler taking the generated request type and
//! answering the generated response or error type, or the spec's example for actions that hold
//! no state by nature.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};
use whmcs_api::{Action, WireParams};

use super::State;

/// A handler with its types erased: wire-form parameters in, the answer's fields or WHMCS's
/// message out.
type Route =
    Box<dyn Fn(&mut State, Map<String, Value>) -> Result<Map<String, Value>, String> + Send + Sync>;

/// A handler that may change the state.
type Write<A> = fn(&mut State, A) -> Result<<A as Action>::Response, <A as Action>::Error>;
/// A handler that only reads the state.
type Read<A> = fn(&State, A) -> Result<<A as Action>::Response, <A as Action>::Error>;

/// How the mock serves an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// A handler keeps or reads the model's state.
    Stateful,
    /// A handler that holds no state by nature (the reason says why).
    Stateless(&'static str),
    /// No rule yet: the spec's example answers.
    Example,
}

/// Every action the mock has a rule for.
#[derive(Default)]
pub(crate) struct Registry {
    routes: BTreeMap<String, (Route, Coverage)>,
    /// Actions given a rule twice (the later one replaced the earlier): a mistake, which a test
    /// reports.
    duplicates: Vec<&'static str>,
}

impl Registry {
    /// Answers `A` with `f`, which may change the state.
    pub(crate) fn on<A: Action>(&mut self, f: Write<A>) {
        self.insert::<A>(Coverage::Stateful, f);
    }

    /// Answers `A` with `f`, which only reads the state.
    pub(crate) fn read<A: Action>(&mut self, f: Read<A>) {
        self.insert::<A>(Coverage::Stateful, move |state, req| f(state, req));
    }

    /// Answers `A` with `f`, a rule that holds no state by nature (`why` says what it is).
    pub(crate) fn stateless<A: Action>(&mut self, why: &'static str, f: Read<A>) {
        self.insert::<A>(Coverage::Stateless(why), move |state, req| f(state, req));
    }

    fn insert<A: Action>(
        &mut self,
        coverage: Coverage,
        f: impl Fn(&mut State, A) -> Result<A::Response, A::Error> + Send + Sync + 'static,
    ) {
        let route: Route = Box::new(move |state, params| {
            let mut wire = WireParams::new(params);
            let request =
                A::from_wire(&mut wire).map_err(|e| format!("Invalid parameters: {e}"))?;
            match f(state, request) {
                Ok(response) => match serde_json::to_value(&response) {
                    Ok(Value::Object(map)) => Ok(map),
                    Ok(_) => Ok(Map::new()),
                    Err(e) => Err(format!("the mock could not write its answer: {e}")),
                },
                Err(e) => Err(e.to_string()),
            }
        });
        let previous = self
            .routes
            .insert(A::INFO.name().to_ascii_lowercase(), (route, coverage));
        if previous.is_some() {
            self.duplicates.push(A::INFO.name());
        }
    }

    /// Runs the handler of `action`, if there is one.
    pub(crate) fn run(
        &self,
        action: &str,
        state: &mut State,
        params: Map<String, Value>,
    ) -> Option<Result<Map<String, Value>, String>> {
        let (route, _) = self.routes.get(&action.to_ascii_lowercase())?;
        Some(route(state, params))
    }

    /// Actions registered more than once.
    pub(crate) fn duplicates(&self) -> &[&'static str] {
        &self.duplicates
    }

    /// How `action` is served.
    pub(crate) fn coverage(&self, action: &str) -> Coverage {
        self.routes
            .get(&action.to_ascii_lowercase())
            .map_or(Coverage::Example, |(_, c)| *c)
    }
}

/// The built-in rules, registered once.
pub(crate) fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut r = Registry::default();
        super::register(&mut r);
        r
    })
}
