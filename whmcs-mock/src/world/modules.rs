//! Modules: which gateway, registrar, fraud and addon modules are active with what settings, the
//! server modules services run on, and the queue of module commands the automation failed to
//! run.
//!
//! A fresh installation has the Mail In Payment and Bank Transfer gateways and the eNom registrar
//! active, no fraud module, and an empty queue. The modules the mock knows are listed in
//! [`KNOWN`]; any other name is an invalid module.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use whmcs_api::DateTime;
use whmcs_api::actions::module::{get_module_configuration_parameters, get_module_queue};
use whmcs_api::actions::{
    ActivateModule, ActivateModuleError, ActivateModuleResponse, DeactivateModule,
    DeactivateModuleError, DeactivateModuleResponse, GetModuleConfigurationParameters,
    GetModuleConfigurationParametersError, GetModuleConfigurationParametersResponse,
    GetModuleQueue, GetModuleQueueError, GetModuleQueueResponse, InvoiceStatus,
    UpdateModuleConfiguration, UpdateModuleConfigurationError, UpdateModuleConfigurationResponse,
};

use super::registry::Registry;
use super::{State, Table};

/// The module tables.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Modules {
    /// Active modules: type (`gateway`, `registrar`, `fraud`, `addon`), then name, then settings.
    pub(crate) active: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// Module commands the automation ran that failed (WHMCS's module queue).
    pub(crate) queue: Table<QueueEntry>,
}

/// A module command that failed, kept to be retried.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct QueueEntry {
    /// `service`, `domain` or `addon`.
    pub(crate) service_type: String,
    pub(crate) service_id: i64,
    pub(crate) module_name: String,
    /// The module's command (`CreateAccount`, `SuspendAccount`, …).
    pub(crate) module_action: String,
    pub(crate) last_attempt: DateTime,
    pub(crate) last_attempt_error: String,
    pub(crate) num_retries: i64,
    pub(crate) completed: bool,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

/// A module the mock knows: its type, system name, display name and settings.
pub(crate) struct KnownModule {
    pub(crate) kind: &'static str,
    pub(crate) name: &'static str,
    pub(crate) display: &'static str,
    /// Settings: name, label, field type.
    pub(crate) params: &'static [(&'static str, &'static str, &'static str)],
    /// For registrars: whether it does more than register, transfer and renew.
    pub(crate) full_registrar: bool,
}

/// A known module with a full set of functions.
const fn known(
    kind: &'static str,
    name: &'static str,
    display: &'static str,
    params: &'static [(&'static str, &'static str, &'static str)],
) -> KnownModule {
    KnownModule {
        kind,
        name,
        display,
        params,
        full_registrar: true,
    }
}

/// Every module the mock knows.
pub(crate) const KNOWN: &[KnownModule] = &[
    known(
        "gateway",
        "mailin",
        "Mail In Payment",
        &[
            ("FriendlyName", "Friendly Name", "text"),
            ("instructions", "Pay To Details", "textarea"),
        ],
    ),
    known(
        "gateway",
        "banktransfer",
        "Bank Transfer",
        &[
            ("FriendlyName", "Friendly Name", "text"),
            ("instructions", "Bank Transfer Instructions", "textarea"),
        ],
    ),
    known(
        "gateway",
        "paypal",
        "PayPal",
        &[
            ("FriendlyName", "Friendly Name", "text"),
            ("email", "PayPal Email", "text"),
            ("forceonetime", "Force One Time Payments", "yesno"),
            ("sandbox", "Sandbox Mode", "yesno"),
        ],
    ),
    known(
        "gateway",
        "offlinecc",
        "Offline Credit Card",
        &[("FriendlyName", "Friendly Name", "text")],
    ),
    known(
        "gateway",
        "stripe",
        "Stripe",
        &[
            ("FriendlyName", "Friendly Name", "text"),
            ("publishableKey", "Publishable Key", "text"),
            ("secretKey", "Secret Key", "password"),
        ],
    ),
    known(
        "registrar",
        "enom",
        "eNom",
        &[
            ("Username", "Username", "text"),
            ("Password", "Password", "password"),
            ("TestMode", "Test Mode", "yesno"),
        ],
    ),
    known(
        "registrar",
        "resellerclub",
        "ResellerClub",
        &[
            ("ResellerID", "Reseller ID", "text"),
            ("APIKey", "API Key", "password"),
            ("TestMode", "Test Mode", "yesno"),
        ],
    ),
    KnownModule {
        kind: "registrar",
        name: "email",
        display: "Email Notifications",
        params: &[("EmailAddress", "Email Address", "text")],
        full_registrar: false,
    },
    known(
        "fraud",
        "maxmind",
        "MaxMind",
        &[
            ("userId", "MaxMind User ID", "text"),
            ("licenseKey", "License Key", "password"),
            ("riskScore", "Risk Score", "text"),
        ],
    ),
    known(
        "fraud",
        "fraudlabs",
        "FraudLabs Pro",
        &[("apiKey", "API Key", "password")],
    ),
    known(
        "addon",
        "project_management",
        "Project Management",
        &[("access", "Access Control", "text")],
    ),
    known("server", "cpanel", "cPanel", &[]),
    known("server", "plesk", "Plesk", &[]),
    known("server", "directadmin", "DirectAdmin", &[]),
];

/// The module types the mock knows, as WHMCS lists them in its error.
const TYPES: [&str; 5] = ["gateway", "registrar", "fraud", "addon", "server"];

/// The known module of this type and name (any case).
pub(crate) fn known_module(kind: &str, name: &str) -> Option<&'static KnownModule> {
    KNOWN
        .iter()
        .find(|m| m.kind.eq_ignore_ascii_case(kind) && m.name.eq_ignore_ascii_case(name))
}

impl Modules {
    /// A fresh installation's modules.
    pub(crate) fn fresh() -> Self {
        let mut m = Self::default();
        for (kind, name) in [
            ("gateway", "mailin"),
            ("gateway", "banktransfer"),
            ("gateway", "paypal"),
            ("gateway", "offlinecc"),
            ("registrar", "enom"),
        ] {
            let mut settings = BTreeMap::new();
            if let Some(k) = known_module(kind, name)
                && kind == "gateway"
            {
                settings.insert("FriendlyName".to_string(), k.display.to_string());
            }
            m.active
                .entry(kind.to_string())
                .or_default()
                .insert(name.to_string(), settings);
        }
        m
    }

    /// Whether record `id` of a kind this module keeps exists.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "module_queue" => Some(self.queue.contains(id)),
            _ => None,
        }
    }

    /// The names of the active modules of a type.
    pub(crate) fn active_names(&self, kind: &str) -> Vec<String> {
        self.active
            .get(kind)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Whether `name` is an active module of `kind` (any case).
    pub(crate) fn is_active(&self, kind: &str, name: &str) -> bool {
        self.active
            .get(kind)
            .is_some_and(|m| m.keys().any(|k| k.eq_ignore_ascii_case(name)))
    }

    /// A gateway's display name: its FriendlyName setting, else the module's own name.
    pub(crate) fn gateway_name(&self, name: &str) -> String {
        self.active
            .get("gateway")
            .and_then(|m| m.get(name))
            .and_then(|s| s.get("FriendlyName"))
            .filter(|n| !n.is_empty())
            .cloned()
            .or_else(|| known_module("gateway", name).map(|k| k.display.to_string()))
            .unwrap_or_else(|| name.to_string())
    }

    /// Whether registrar `name` does more than register, transfer and renew (nameservers, lock,
    /// ID protection, EPP codes, WHOIS contacts, release).
    pub(crate) fn registrar_is_full(name: &str) -> bool {
        known_module("registrar", name).is_none_or(|k| k.full_registrar)
    }

    /// Records a failed command in the queue (or counts a retry of one already there).
    pub(crate) fn queue_failure(
        &mut self,
        service_type: &str,
        service_id: i64,
        module: &str,
        action: &str,
        error: &str,
        now: DateTime,
    ) {
        if let Some((_, q)) = self.queue.iter_mut().find(|(_, q)| {
            !q.completed
                && q.service_type == service_type
                && q.service_id == service_id
                && q.module_action == action
        }) {
            q.num_retries = q.num_retries.saturating_add(1);
            q.last_attempt = now;
            q.last_attempt_error = error.to_string();
            q.updated_at = now;
            return;
        }
        self.queue.insert(QueueEntry {
            service_type: service_type.into(),
            service_id,
            module_name: module.into(),
            module_action: action.into(),
            last_attempt: now,
            last_attempt_error: error.into(),
            num_retries: 0,
            completed: false,
            created_at: now,
            updated_at: now,
        });
    }

    /// Marks the queued failures of a command as done once it has succeeded.
    pub(crate) fn complete(
        &mut self,
        service_type: &str,
        service_id: i64,
        action: &str,
        now: DateTime,
    ) {
        for (_, q) in self.queue.iter_mut() {
            if !q.completed
                && q.service_type == service_type
                && q.service_id == service_id
                && q.module_action == action
            {
                q.completed = true;
                q.updated_at = now;
            }
        }
    }
}

/// Registers the module actions.
pub(crate) fn register(r: &mut Registry) {
    r.on::<ActivateModule>(activate_module);
    r.on::<DeactivateModule>(deactivate_module);
    r.on::<UpdateModuleConfiguration>(update_module_configuration);
    r.read::<GetModuleConfigurationParameters>(get_module_configuration_parameters);
    r.read::<GetModuleQueue>(get_module_queue);
}

/// The module types, as the invalid-type error lists them.
fn types_list() -> String {
    TYPES.join(", ")
}

/// The known module a request names: `Err(true)` for an unknown type, `Err(false)` for an
/// unknown name.
fn lookup(kind: &str, name: &str) -> Result<&'static KnownModule, bool> {
    let kind = kind.trim().to_ascii_lowercase();
    if !TYPES.contains(&kind.as_str()) {
        return Err(true);
    }
    known_module(&kind, name.trim()).ok_or(false)
}

/// ActivateModule: switches a known module on (server modules cannot be) and stores its settings.
fn activate_module(
    w: &mut State,
    r: ActivateModule,
) -> Result<ActivateModuleResponse, ActivateModuleError> {
    let module = lookup(&r.module_type, &r.module_name).map_err(|bad_type| {
        if bad_type {
            ActivateModuleError::InvalidModuleType {
                module_types: types_list(),
            }
        } else {
            ActivateModuleError::InvalidModuleName
        }
    })?;
    if module.kind == "server" {
        return Err(ActivateModuleError::ActivationNotSupported);
    }
    let settings = w
        .modules
        .active
        .entry(module.kind.to_string())
        .or_default()
        .entry(module.name.to_string())
        .or_default();
    if module.kind == "gateway" && !settings.contains_key("FriendlyName") {
        settings.insert("FriendlyName".into(), module.display.into());
    }
    for (k, v) in r.parameters {
        settings.insert(k, v);
    }
    w.log(
        0,
        format!("Module Activated: {} ({})", module.name, module.kind),
    );
    Ok(ActivateModuleResponse::default())
}

/// DeactivateModule: switches an active module off; a gateway's items move to `newGateway` (or
/// the first other active gateway), and the last gateway cannot go.
fn deactivate_module(
    w: &mut State,
    r: DeactivateModule,
) -> Result<DeactivateModuleResponse, DeactivateModuleError> {
    let module = lookup(&r.module_type, &r.module_name).map_err(|bad_type| {
        if bad_type {
            DeactivateModuleError::InvalidModuleType {
                module_types: types_list(),
            }
        } else {
            DeactivateModuleError::InvalidModuleName
        }
    })?;
    if module.kind == "server" {
        return Err(DeactivateModuleError::DeactivationNotSupported);
    }
    if !w.modules.is_active(module.kind, module.name) {
        return Err(DeactivateModuleError::DeactivationFailed {
            reason: "Module is not active".into(),
        });
    }
    let new_gateway = r.new_gateway.filter(|g| !g.is_empty());
    if module.kind == "gateway" {
        let others: Vec<String> = w
            .modules
            .active_names("gateway")
            .into_iter()
            .filter(|g| g != module.name)
            .collect();
        if others.is_empty() {
            return Err(DeactivateModuleError::DeactivationFailed {
                reason: "At least one payment gateway must remain active".into(),
            });
        }
        let to = match new_gateway {
            Some(g) if others.iter().any(|o| o.eq_ignore_ascii_case(&g)) => g,
            Some(g) => {
                return Err(DeactivateModuleError::DeactivationFailed {
                    reason: format!("{g} is not an active payment gateway"),
                });
            }
            None => others[0].clone(),
        };
        move_gateway(w, module.name, &to);
    }
    if let Some(m) = w.modules.active.get_mut(module.kind) {
        m.retain(|k, _| !k.eq_ignore_ascii_case(module.name));
    }
    w.log(
        0,
        format!("Module Deactivated: {} ({})", module.name, module.kind),
    );
    Ok(DeactivateModuleResponse::default())
}

/// Moves everything billed through gateway `from` to gateway `to`: services, addons, domains and
/// unpaid invoices.
fn move_gateway(w: &mut State, from: &str, to: &str) {
    let same = |g: &str| g.eq_ignore_ascii_case(from);
    for (_, s) in w.orders.services.iter_mut() {
        if same(&s.paymentmethod) {
            s.paymentmethod = to.to_string();
        }
    }
    for (_, a) in w.orders.addons.iter_mut() {
        if same(&a.paymentmethod) {
            a.paymentmethod = to.to_string();
        }
    }
    for (_, d) in w.orders.domains.iter_mut() {
        if same(&d.paymentmethod) {
            d.paymentmethod = to.to_string();
        }
    }
    for (_, i) in w.billing.invoices.iter_mut() {
        if i.status == InvoiceStatus::Unpaid && same(&i.paymentmethod) {
            i.paymentmethod = to.to_string();
        }
    }
}

/// UpdateModuleConfiguration: changes the settings of an active module.
fn update_module_configuration(
    w: &mut State,
    r: UpdateModuleConfiguration,
) -> Result<UpdateModuleConfigurationResponse, UpdateModuleConfigurationError> {
    let module = lookup(&r.module_type, &r.module_name).map_err(|bad_type| {
        if bad_type {
            UpdateModuleConfigurationError::InvalidModuleType {
                module_types: types_list(),
            }
        } else {
            UpdateModuleConfigurationError::InvalidModuleName
        }
    })?;
    if module.kind == "server" {
        return Err(UpdateModuleConfigurationError::ActivationNotSupported);
    }
    let Some(settings) = w
        .modules
        .active
        .get_mut(module.kind)
        .and_then(|m| m.get_mut(module.name))
    else {
        return Err(UpdateModuleConfigurationError::UpdateFailed {
            reason: "Module is not active".into(),
        });
    };
    for (k, v) in r.parameters {
        settings.insert(k, v);
    }
    w.log(
        0,
        format!(
            "Module Configuration Updated: {} ({})",
            module.name, module.kind
        ),
    );
    Ok(UpdateModuleConfigurationResponse::default())
}

/// GetModuleConfigurationParameters: the settings a known module takes.
fn get_module_configuration_parameters(
    _: &State,
    r: GetModuleConfigurationParameters,
) -> Result<GetModuleConfigurationParametersResponse, GetModuleConfigurationParametersError> {
    let module = lookup(&r.module_type, &r.module_name).map_err(|bad_type| {
        if bad_type {
            GetModuleConfigurationParametersError::InvalidModuleType {
                module_types: types_list(),
            }
        } else {
            GetModuleConfigurationParametersError::InvalidModuleName
        }
    })?;
    if module.kind == "server" {
        return Err(GetModuleConfigurationParametersError::NotSupportedByModuleType);
    }
    let parameters = module
        .params
        .iter()
        .map(
            |(name, label, field)| get_module_configuration_parameters::ModuleParameter {
                name: Some((*name).into()),
                display_name: Some((*label).into()),
                field_type: Some((*field).into()),
                ..Default::default()
            },
        )
        .collect();
    Ok(GetModuleConfigurationParametersResponse {
        parameters,
        ..Default::default()
    })
}

/// `Y-m-d` or `Y-m-d H:i:s` as a moment (midnight for a bare date).
fn since(text: &str) -> Option<DateTime> {
    let text = text.trim();
    text.parse::<DateTime>().ok().or_else(|| {
        text.parse::<whmcs_api::Date>()
            .ok()
            .and_then(|d| DateTime::new(d, 0, 0, 0))
    })
}

/// GetModuleQueue: the failed commands not yet completed, filtered as asked.
fn get_module_queue(
    w: &State,
    r: GetModuleQueue,
) -> Result<GetModuleQueueResponse, GetModuleQueueError> {
    let from = r
        .since
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(since);
    let queue: Vec<get_module_queue::QueueEntry> = w
        .modules
        .queue
        .iter()
        .filter(|(_, q)| !q.completed)
        .filter(|(_, q)| {
            r.service_type
                .as_ref()
                .is_none_or(|t| t.as_str() == q.service_type)
                && r.related_id.is_none_or(|id| id == q.service_id)
                && r.module_name
                    .as_deref()
                    .filter(|m| !m.is_empty())
                    .is_none_or(|m| m.eq_ignore_ascii_case(&q.module_name))
                && r.module_action
                    .as_deref()
                    .filter(|a| !a.is_empty())
                    .is_none_or(|a| a.eq_ignore_ascii_case(&q.module_action))
                && from.is_none_or(|f| f.is_none_or(|f| q.last_attempt >= f))
        })
        .map(|(id, q)| get_module_queue::QueueEntry {
            id: Some(id),
            service_type: Some(q.service_type.clone()),
            service_id: Some(q.service_id),
            module_name: Some(q.module_name.clone()),
            module_action: Some(q.module_action.clone()),
            last_attempt: Some(q.last_attempt),
            last_attempt_error: Some(q.last_attempt_error.clone()),
            num_retries: Some(q.num_retries),
            completed: Some(q.completed),
            created_at: Some(q.created_at),
            updated_at: Some(q.updated_at),
            ..Default::default()
        })
        .collect();
    Ok(GetModuleQueueResponse {
        count: Some(queue.len() as i64),
        queue,
        ..Default::default()
    })
}
