//! The mock's model of one WHMCS installation, and the behaviour of each action on it.
//!
//! Every action is answered by a typed handler (it takes the generated request type and answers
//! the generated response or error type, so a documented message is never typed twice) or, for
//! actions without one, by its spec's example. Before either runs, the spec's own checks apply
//! (`checks.rs`). Each entity family lives in a module of its own, with its tables and handlers;
//! the tables are the documented JSON of [`crate::MockServer::snapshot`] and `seed`.

mod admin;
mod affiliates;
mod announcements;
mod billing;
mod calendar;
mod checks;
mod clients;
mod codec;
mod dates;
mod domains;
mod example;
mod fields;
mod flows;
mod mail;
mod modules;
mod oauth;
mod orders;
mod products;
mod projects;
mod quotes;
mod registry;
mod services;
mod stats;
mod support;
mod system;
mod todo;
mod users;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use whmcs_api::{ActionInfo, Date, DateTime, Decimal};

pub use example::example_answer;

/// The admin every API call acts as: admin 1, the account a fresh installation has.
pub(crate) const API_ADMIN: i64 = 1;
pub use registry::Coverage;
pub(crate) use registry::registry;

/// Rows of one table, numbered as WHMCS numbers them: from 1, never reusing an id.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub(crate) struct Table<T> {
    /// The id the next row gets.
    next: i64,
    rows: BTreeMap<i64, T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            next: 1,
            rows: BTreeMap::new(),
        }
    }
}

impl<T> Table<T> {
    /// Adds a row and returns its id.
    pub(crate) fn insert(&mut self, row: T) -> i64 {
        let id = self
            .next
            .max(self.rows.keys().next_back().map_or(1, |k| k + 1));
        self.next = id + 1;
        self.rows.insert(id, row);
        id
    }

    pub(crate) fn get(&self, id: i64) -> Option<&T> {
        self.rows.get(&id)
    }

    pub(crate) fn get_mut(&mut self, id: i64) -> Option<&mut T> {
        self.rows.get_mut(&id)
    }

    pub(crate) fn remove(&mut self, id: i64) -> Option<T> {
        self.rows.remove(&id)
    }

    pub(crate) fn contains(&self, id: i64) -> bool {
        self.rows.contains_key(&id)
    }

    /// Rows in id order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (i64, &T)> {
        self.rows.iter().map(|(id, row)| (*id, row))
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = (i64, &mut T)> {
        self.rows.iter_mut().map(|(id, row)| (*id, row))
    }

    pub(crate) fn retain(&mut self, mut keep: impl FnMut(i64, &T) -> bool) {
        self.rows.retain(|id, row| keep(*id, row));
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// The state of the mock WHMCS: every table, and the clock.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct State {
    /// The mock's "now": fixed unless advanced, so answers are reproducible.
    pub(crate) now: DateTime,
    pub(crate) clients: clients::Clients,
    pub(crate) orders: orders::Orders,
    /// Products, addons, promotions, TLDs and servers.
    pub(crate) catalogue: products::Catalogue,
    /// Active modules and the module queue.
    pub(crate) modules: modules::Modules,
    /// The daily cron's settings and last run.
    pub(crate) automation: flows::Automation,
    pub(crate) billing: billing::Billing,
    pub(crate) support: support::Support,
    pub(crate) quotes: quotes::Quotes,
    pub(crate) affiliates: affiliates::Affiliates,
    pub(crate) oauth: oauth::OAuth,
    pub(crate) announcements: announcements::Announcements,
    pub(crate) projects: projects::Projects,
    pub(crate) system: system::System,
    pub(crate) mail: mail::Mail,
    pub(crate) todos: todo::ToDos,
    pub(crate) admins: admin::Admins,
    /// Everything written, newest last (WHMCS's activity log).
    pub(crate) activity: Vec<Activity>,
}

/// One line of the activity log.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Activity {
    pub(crate) date: DateTime,
    pub(crate) description: String,
    /// The client it concerns (0 for none).
    pub(crate) userid: i64,
}

impl Default for State {
    /// A fresh installation: WHMCS's own fixtures, no clients.
    fn default() -> Self {
        let now = Date::new(2026, 1, 1)
            .and_then(|d| DateTime::new(d, 12, 0, 0))
            .unwrap_or_else(|| unreachable!("a valid date"));
        Self {
            now,
            clients: clients::Clients::default(),
            orders: orders::Orders::fresh(),
            catalogue: products::Catalogue::fresh(),
            modules: modules::Modules::fresh(),
            automation: flows::Automation::default(),
            billing: billing::Billing::fresh(),
            support: support::Support::fresh(),
            quotes: quotes::Quotes::default(),
            affiliates: affiliates::Affiliates::default(),
            oauth: oauth::OAuth::default(),
            announcements: announcements::Announcements::default(),
            projects: projects::Projects::default(),
            system: system::System::default(),
            mail: mail::Mail::default(),
            todos: todo::ToDos::default(),
            admins: admin::Admins::default(),
            activity: Vec::new(),
        }
    }
}

/// Where an answer came from, for the `X-Mock-Source` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// A handler, from the state.
    State,
    /// The spec's example.
    Example,
}

impl Source {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Source::State => "state",
            Source::Example => "example",
        }
    }
}

fn register(r: &mut registry::Registry) {
    clients::register(r);
    orders::register(r);
    products::register(r);
    services::register(r);
    domains::register(r);
    modules::register(r);
    billing::register(r);
    billing::paymethods::register(r);
    billing::billable::register(r);
    flows::register(r);
    support::register(r);
    system::register(r);
    users::register(r);
    quotes::register(r);
    affiliates::register(r);
    oauth::register(r);
    announcements::register(r);
    projects::register(r);
    mail::register(r);
    todo::register(r);
    admin::register(r);
    stats::register(r);
}

impl State {
    /// The state as JSON (what `MockServer::snapshot` gives and a state file holds).
    pub(crate) fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// A state from its JSON, or why it is not one.
    pub(crate) fn from_json(value: Value) -> Result<Self, String> {
        serde_json::from_value(value).map_err(|e| format!("not a mock state: {e}"))
    }

    /// Answers one authenticated call: the spec's checks, then the handler, else the example.
    pub(crate) fn answer(
        &mut self,
        info: &ActionInfo,
        params: &Map<String, Value>,
    ) -> (Result<Value, String>, Source) {
        if let Err(message) = checks::check(self, info, params) {
            return (Err(message), Source::State);
        }
        if let Some(result) = registry().run(info.name(), self, params.clone()) {
            let answer = result.map(|mut fields| {
                fields.insert("result".into(), json!("success"));
                Value::Object(fields)
            });
            return (answer, Source::State);
        }
        (Ok(example_answer(info, params)), Source::Example)
    }

    /// Whether record `id` of kind `entity` exists; `None` for kinds the model does not keep.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        self.clients
            .exists(entity, id)
            .or_else(|| self.orders.exists(entity, id))
            .or_else(|| self.catalogue.exists(entity, id))
            .or_else(|| self.modules.exists(entity, id))
            .or_else(|| self.billing.exists(entity, id))
            .or_else(|| self.support.exists(entity, id))
            .or_else(|| self.quotes.exists(entity, id))
            .or_else(|| self.affiliates.exists(entity, id))
            .or_else(|| self.oauth.exists(entity, id))
            .or_else(|| self.announcements.exists(entity, id))
            .or_else(|| self.projects.exists(entity, id))
            .or_else(|| self.system.exists(entity, id))
            .or_else(|| self.mail.exists(entity, id))
            .or_else(|| self.todos.exists(entity, id))
            .or_else(|| self.admins.exists(entity, id))
    }

    /// Moves the clock on by `days`, running WHMCS's daily automation once for each day.
    pub(crate) fn advance(&mut self, days: u32) {
        for _ in 0..days {
            let tomorrow = dates::next_day(self.now.date());
            let (h, m, s) = self.now.time();
            self.now = DateTime::new(tomorrow, h, m, s).unwrap_or(self.now);
            self.daily();
        }
    }

    /// WHMCS's daily cron job, run by [`State::advance`] for each day passed.
    fn daily(&mut self) {
        flows::daily(self);
    }

    /// The mock's today.
    pub(crate) fn today(&self) -> Date {
        self.now.date()
    }

    /// Records a change in the activity log.
    pub(crate) fn log(&mut self, userid: i64, description: impl Into<String>) {
        self.activity.push(Activity {
            date: self.now,
            description: description.into(),
            userid,
        });
    }
}

/// WHMCS's paging: `limitstart` (default 0) and `limitnum` (default 25) over `rows`; returns
/// the total, the offset and the page.
pub(crate) fn page<T>(rows: Vec<T>, start: Option<i64>, num: Option<i64>) -> (i64, i64, Vec<T>) {
    let total = rows.len() as i64;
    let start = start.unwrap_or(0).max(0);
    let num = num.filter(|n| *n > 0).unwrap_or(25);
    let page = rows
        .into_iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(usize::try_from(num).unwrap_or(usize::MAX))
        .collect();
    (total, start, page)
}

/// Money with two decimals, as WHMCS stores amounts.
pub(crate) fn money(d: Decimal) -> Decimal {
    d.round_dp(2)
}
