//! What every connection of one mock server shares: its settings, the model's state (and where
//! it is saved), the requests received, the handlers and faults a test set, and how an
//! authenticated API call is answered.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use whmcs_api::{ActionInfo, Effect, find_action};

use crate::behaviour::{Handler, Received, Reply, Request};
use crate::config::MockConfig;
use crate::faults::Armed;
use crate::lock;
use crate::store::{Store, Ticket};
use crate::world::State;

/// The state of one mock server, shared by its connections.
pub(crate) struct Shared {
    config: MockConfig,
    state: Arc<Mutex<State>>,
    /// Where changes are saved, with a state file.
    store: Option<Store>,
    journal: Mutex<Vec<Received>>,
    overrides: Mutex<HashMap<String, Arc<dyn Handler>>>,
    faults: Mutex<HashMap<String, Armed>>,
    /// Set at run time; else the config's.
    latency: Mutex<Option<Duration>>,
    /// Answers every request, authenticated or not, when set (a scripted server).
    script: Option<Arc<dyn Handler>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// The state `config` asks for: the state file's (snapshot and journal) when there is
    /// one, else the seed, else a fresh installation.
    pub(crate) fn open(config: MockConfig) -> std::io::Result<Self> {
        let seeded = match &config.seed {
            Some(seed) => Some(
                State::from_json(seed.clone())
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
            ),
            None => None,
        };
        let (state, store) = match &config.state_file {
            Some(path) => {
                let (found, disk) = crate::store::load(path)?;
                // A seed counts only for a state file not written yet; it is then saved first.
                let seed = seeded.filter(|_| disk.is_new());
                let seeding = seed.is_some();
                let state = Arc::new(Mutex::new(seed.unwrap_or(found)));
                let store = Store::start(path, disk, state.clone())?;
                if seeding {
                    drop(store.seed(&lock(&state)));
                }
                (state, Some(store))
            }
            None => (Arc::new(Mutex::new(seeded.unwrap_or_default())), None),
        };
        Ok(Self::with(config, state, store, None))
    }

    /// A server that answers everything with `script`, keeping no state.
    pub(crate) fn scripted(script: Arc<dyn Handler>) -> Self {
        Self::with(
            MockConfig::default(),
            Arc::new(Mutex::new(State::default())),
            None,
            Some(script),
        )
    }

    fn with(
        config: MockConfig,
        state: Arc<Mutex<State>>,
        store: Option<Store>,
        script: Option<Arc<dyn Handler>>,
    ) -> Self {
        Self {
            config,
            state,
            store,
            journal: Mutex::new(Vec::new()),
            overrides: Mutex::new(HashMap::new()),
            faults: Mutex::new(HashMap::new()),
            latency: Mutex::new(None),
            script,
        }
    }

    pub(crate) fn config(&self) -> &MockConfig {
        &self.config
    }

    pub(crate) fn script(&self) -> Option<&Arc<dyn Handler>> {
        self.script.as_ref()
    }

    /// How long answers wait: the one set at run time, else the config's.
    pub(crate) fn latency(&self) -> Option<Duration> {
        (*lock(&self.latency)).or(self.config.latency)
    }

    pub(crate) fn set_latency(&self, latency: Option<Duration>) {
        *lock(&self.latency) = latency;
    }

    pub(crate) fn record(&self, received: Received) {
        lock(&self.journal).push(received);
    }

    pub(crate) fn journal(&self) -> Vec<Received> {
        lock(&self.journal).clone()
    }

    pub(crate) fn on(&self, action: &str, handler: Arc<dyn Handler>) {
        lock(&self.overrides).insert(action.to_ascii_lowercase(), handler);
    }

    pub(crate) fn arm(&self, action: &str, armed: Armed) {
        lock(&self.faults).insert(action.to_ascii_lowercase(), armed);
    }

    /// Forgets handlers, faults, requests and state. With a state file the returned ticket
    /// settles once the reset is saved.
    pub(crate) fn reset(&self) -> Option<Ticket> {
        lock(&self.overrides).clear();
        lock(&self.faults).clear();
        lock(&self.journal).clear();
        let mut state = lock(&self.state);
        *state = State::default();
        self.store.as_ref().map(Store::reset)
    }

    /// Replaces the state with `value` (the JSON of [`Shared::snapshot`]).
    pub(crate) fn seed(&self, value: Value) -> Result<Option<Ticket>, String> {
        let seeded = State::from_json(value)?;
        let mut state = lock(&self.state);
        *state = seeded;
        Ok(self.store.as_ref().map(|store| store.seed(&state)))
    }

    pub(crate) fn snapshot(&self) -> Value {
        lock(&self.state).to_json()
    }

    /// Moves the clock on by `days`, running the daily automation for each.
    pub(crate) fn advance(&self, days: u32) -> Option<Ticket> {
        let mut state = lock(&self.state);
        state.advance(days);
        self.store.as_ref().map(|store| store.advance(days))
    }

    pub(crate) fn today(&self) -> whmcs_api::Date {
        lock(&self.state).today()
    }

    /// Stops saving: what is queued is written and the state compacted into its file.
    pub(crate) fn stop(&self) {
        if let Some(store) = &self.store {
            store.stop();
        }
    }

    /// Answers an authenticated API call: an armed fault, else [`Shared::normal`].
    pub(crate) async fn answer(&self, request: &Request) -> Reply {
        let armed = lock(&self.faults)
            .get_mut(&request.action.to_ascii_lowercase())
            .and_then(|a| a.strike().map(|hit| hit.then(|| a.fault.clone())));
        if let Some(Some(fault)) = armed {
            return fault.apply(self.normal(request)).await;
        }
        self.normal(request).await
    }

    /// The answer without faults: a handler set with `on`, else the built-in behaviour.
    async fn normal(&self, request: &Request) -> Reply {
        let handler = lock(&self.overrides)
            .get(&request.action.to_ascii_lowercase())
            .cloned();
        if let Some(handler) = handler {
            return handler.handle(request);
        }
        self.builtin(request).await
    }

    fn find(&self, action: &str) -> Option<&ActionInfo> {
        self.config
            .custom_actions
            .iter()
            .find(|i| i.name().eq_ignore_ascii_case(action))
            .or_else(|| find_action(action).filter(|i| i.name().eq_ignore_ascii_case(action)))
    }

    /// The built-in behaviour: the model (see `world`, which applies the spec's checks), its
    /// change saved before it is acknowledged.
    async fn builtin(&self, request: &Request) -> Reply {
        let Some(info) = self.find(&request.action) else {
            return Reply::error("Command Not Found");
        };
        if let Some(why) = self.store.as_ref().and_then(Store::broken) {
            return Reply::error(&format!("The mock state is unusable: {why}")).with_status(500);
        }
        let ((answer, source), saved) = {
            let mut state = lock(&self.state);
            let answer = state.answer(info, &request.params);
            // Queued under the lock, so the journal keeps the order the changes were made in.
            let saved = self.store.as_ref().and_then(|store| {
                if info.effect() == Effect::Read {
                    store.barrier()
                } else {
                    Some(store.append(info.name(), &request.params))
                }
            });
            (answer, saved)
        };
        if let Some(saved) = saved
            && let Err(e) = saved.wait().await
        {
            // Nothing is acknowledged that was not kept.
            return Reply::error(&format!("Could not save the mock state: {e}")).with_status(500);
        }
        let reply = match answer {
            Ok(v) => Reply::json(&v),
            Err(msg) => Reply::error(&msg),
        };
        reply.with_header("x-mock-source", source.as_str())
    }
}
