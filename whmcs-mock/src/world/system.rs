//! System actions: configuration values, the activity log, bans, notification events, the daily
//! automation's record, the version,
//! and what holds no state at all (the password cipher).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use whmcs_api::actions::system::get_activity_log;
use whmcs_api::actions::{
    AddBannedIp, AddBannedIpError, AddBannedIpResponse, DecryptPassword, DecryptPasswordError,
    DecryptPasswordResponse, EncryptPassword, EncryptPasswordError, EncryptPasswordResponse,
    GetActivityLog, GetActivityLogError, GetActivityLogResponse, GetAutomationLog,
    GetAutomationLogError, GetAutomationLogResponse, GetConfigurationValue,
    GetConfigurationValueError, GetConfigurationValueResponse, LogActivity, LogActivityError,
    LogActivityResponse, SetConfigurationValue, SetConfigurationValueError,
    SetConfigurationValueResponse, TriggerNotificationEvent, TriggerNotificationEventError,
    TriggerNotificationEventResponse, WhmcsDetails, WhmcsDetailsError, WhmcsDetailsResponse,
    WhmcsVersion,
};
use whmcs_api::{Date, DateTime};

use super::API_ADMIN;
use super::registry::Registry;
use super::{State, Table, calendar};

/// The system tables.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct System {
    /// General settings by name (`tblconfiguration`): CompanyName, SystemURL, DateFormat, Version…
    pub(crate) config: BTreeMap<String, String>,
    /// When the installation was set up; the daily automation has run once for every day since.
    pub(crate) installed: DateTime,
    pub(crate) banned_ips: Table<BannedIp>,
    /// Addresses (or whole domains, `@example.com`) whose mail is refused.
    pub(crate) banned_emails: Table<BannedEmail>,
    /// Custom notification events triggered through the API.
    pub(crate) notifications: Table<Notification>,
}

/// An IP address refused access.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct BannedIp {
    pub(crate) ip: String,
    pub(crate) reason: String,
    pub(crate) expires: DateTime,
}

/// An email address or domain refused.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct BannedEmail {
    pub(crate) email: String,
    /// Messages refused so far.
    pub(crate) count: i64,
}

/// A notification event triggered through the API.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Notification {
    pub(crate) identifier: String,
    pub(crate) title: String,
    pub(crate) message: String,
    pub(crate) url: String,
    pub(crate) status: String,
    pub(crate) status_style: String,
    /// Labelled values, each `{label, value, url, style, icon}`.
    pub(crate) attributes: Vec<Map<String, Value>>,
    pub(crate) date: DateTime,
}

impl Default for System {
    /// A fresh installation: its settings.
    fn default() -> Self {
        let config = [
            ("CompanyName", "Example Hosting"),
            ("Email", "billing@example.com"),
            ("Domain", "https://www.example.com/"),
            ("SystemURL", "https://billing.example.com/"),
            ("Language", "english"),
            ("Template", "twenty-one"),
            ("OrderFormTemplate", "standard_cart"),
            ("DateFormat", "DD/MM/YYYY"),
            ("DefaultCountry", "US"),
            ("Charset", "utf-8"),
            ("TicketMask", "%n%n%n%n%n%n"),
            ("Version", "8.13.1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Self {
            config,
            installed: calendar::installed(),
            banned_ips: Table::default(),
            banned_emails: Table::default(),
            notifications: Table::default(),
        }
    }
}

impl System {
    /// Whether ban `id` exists; `None` for kinds kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "banned_ip" | "ban" => Some(self.banned_ips.contains(id)),
            "banned_email" => Some(self.banned_emails.contains(id)),
            _ => None,
        }
    }

    /// A setting's value, empty when unset.
    pub(crate) fn setting(&self, name: &str) -> &str {
        self.config.get(name).map_or("", String::as_str)
    }

    /// Bans an address (once), as BlockTicketSender does.
    pub(crate) fn ban_email(&mut self, email: &str) {
        let known = self
            .banned_emails
            .iter()
            .any(|(_, b)| b.email.eq_ignore_ascii_case(email));
        if !known && !email.is_empty() {
            self.banned_emails.insert(BannedEmail {
                email: email.to_string(),
                count: 0,
            });
        }
    }

    /// When the daily automation last ran: it runs once for each day the clock moves past the
    /// installation day, at the clock's time.
    pub(crate) fn last_daily_run(&self, now: DateTime) -> Option<DateTime> {
        (now.date() > self.installed.date()).then_some(now)
    }
}

/// The installation's version, from its `Version` setting.
pub(crate) fn version(w: &State) -> WhmcsVersion {
    let v = w.system.setting("Version").to_string();
    WhmcsVersion {
        canonicalversion: Some(format!("{v}-release.1")),
        version: Some(v),
        ..Default::default()
    }
}

/// Registers the system actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.stateless::<EncryptPassword>(
        "a pure function of its input; the mock's cipher is a reversible encoding",
        encrypt_password,
    );
    r.stateless::<DecryptPassword>(
        "a pure function of its input; reverses the mock's EncryptPassword",
        decrypt_password,
    );
    r.read::<GetActivityLog>(get_activity_log);
    r.on::<LogActivity>(log_activity);
    r.read::<GetConfigurationValue>(get_configuration_value);
    r.on::<SetConfigurationValue>(set_configuration_value);
    r.on::<AddBannedIp>(add_banned_ip);
    r.read::<WhmcsDetails>(whmcs_details);
    r.read::<GetAutomationLog>(get_automation_log);
    r.on::<TriggerNotificationEvent>(trigger_notification_event);
}

/// What the mock's EncryptPassword puts before its output, so DecryptPassword knows its own.
const CIPHER_PREFIX: &str = "mock:";

/// The mock's reversible encoding of a text.
fn encrypt_password(
    _: &State,
    r: EncryptPassword,
) -> Result<EncryptPasswordResponse, EncryptPasswordError> {
    let hex: String = r
        .password2
        .expose()
        .bytes()
        .rev()
        .map(|b| format!("{:02x}", b ^ 0x5a))
        .collect();
    Ok(EncryptPasswordResponse {
        password: Some(format!("{CIPHER_PREFIX}{hex}")),
        ..Default::default()
    })
}

/// Reverses EncryptPassword; other text decrypts to nothing.
fn decrypt_password(
    _: &State,
    r: DecryptPassword,
) -> Result<DecryptPasswordResponse, DecryptPasswordError> {
    let text = r.password2.expose();
    let plain = text
        .strip_prefix(CIPHER_PREFIX)
        .filter(|hex| hex.len() % 2 == 0 && hex.is_ascii())
        .and_then(|hex| {
            (0..hex.len())
                .step_by(2)
                .map(|i| {
                    u8::from_str_radix(&hex[i..i + 2], 16)
                        .ok()
                        .map(|b| b ^ 0x5a)
                })
                .rev()
                .collect::<Option<Vec<u8>>>()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    Ok(DecryptPasswordResponse {
        password: Some(plain.into()),
        ..Default::default()
    })
}

/// Whether log line `entry` concerns `user`: the client's address, one of its users' addresses,
/// or the username of the admin who made it (the API's, for every line the mock writes).
fn concerns(w: &State, userid: i64, user: &str) -> bool {
    let admin = w
        .admins
        .admins
        .get(API_ADMIN)
        .is_some_and(|a| a.username.eq_ignore_ascii_case(user));
    let client = w
        .clients
        .clients
        .get(userid)
        .is_some_and(|c| c.email.eq_ignore_ascii_case(user));
    let users = w
        .clients
        .users
        .iter()
        .any(|(_, u)| u.clients.contains(&userid) && u.email.eq_ignore_ascii_case(user));
    admin || client || users
}

/// The loopback address every request to the mock comes from.
const LOOPBACK: &str = "127.0.0.1";

/// The activity log, newest first, by client, text, day, user or address.
#[allow(deprecated)]
fn get_activity_log(
    w: &State,
    r: GetActivityLog,
) -> Result<GetActivityLogResponse, GetActivityLogError> {
    let day = r
        .date
        .as_deref()
        .map(|d| calendar::parse_admin_date(d, w.system.setting("DateFormat")));
    let text = r.description.as_deref().map(str::to_lowercase);
    let username = w
        .admins
        .admins
        .get(API_ADMIN)
        .map(|a| a.username.clone())
        .unwrap_or_default();
    let rows: Vec<get_activity_log::ActivityEntry> = w
        .activity
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, a)| r.clientid.is_none_or(|c| c == a.userid))
        .filter(|(_, a)| {
            text.as_ref()
                .is_none_or(|t| a.description.to_lowercase().contains(t.as_str()))
        })
        .filter(|(_, a)| day.is_none_or(|d| d == Some(a.date.date())))
        .filter(|(_, a)| r.user.as_deref().is_none_or(|u| concerns(w, a.userid, u)))
        .filter(|_| {
            r.ipaddress
                .as_deref()
                .is_none_or(|ip| ip.trim() == LOOPBACK)
        })
        .map(|(n, a)| get_activity_log::ActivityEntry {
            id: Some(n as i64 + 1),
            client_id: Some(a.userid),
            user_id: Some(0),
            admin_id: Some(API_ADMIN),
            date: Some(a.date),
            description: Some(a.description.clone()),
            username: Some(username.clone()),
            ipaddress: Some(LOOPBACK.into()),
            userid: Some(a.userid),
            ..Default::default()
        })
        .collect();
    let (total, start, activity) = super::page(rows, r.limitstart, r.limitnum);
    Ok(GetActivityLogResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        activity,
        ..Default::default()
    })
}

/// Writes a line to the activity log.
fn log_activity(w: &mut State, r: LogActivity) -> Result<LogActivityResponse, LogActivityError> {
    w.log(r.clientid.unwrap_or(0), r.description);
    Ok(LogActivityResponse::default())
}

/// Whether `name` can name a setting: letters, digits and underscores.
fn valid_setting(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Reads a setting. One the installation does not have answers "Invalid name for parameter
/// setting", as does a name no setting could have.
fn get_configuration_value(
    w: &State,
    r: GetConfigurationValue,
) -> Result<GetConfigurationValueResponse, GetConfigurationValueError> {
    let value = w
        .system
        .config
        .get(&r.setting)
        .filter(|_| valid_setting(&r.setting))
        .ok_or(GetConfigurationValueError::InvalidSettingName)?;
    Ok(GetConfigurationValueResponse {
        value: Some(value.clone()),
        setting: Some(r.setting),
        ..Default::default()
    })
}

/// Stores a setting; `value_changed` says whether its value is new.
fn set_configuration_value(
    w: &mut State,
    r: SetConfigurationValue,
) -> Result<SetConfigurationValueResponse, SetConfigurationValueError> {
    if !valid_setting(&r.setting) {
        return Err(SetConfigurationValueError::InvalidSettingName);
    }
    let old = w.system.config.insert(r.setting.clone(), r.value.clone());
    let changed = old.as_deref() != Some(r.value.as_str());
    w.log(
        0,
        format!("Configuration Value Changed - Setting: {}", r.setting),
    );
    Ok(SetConfigurationValueResponse {
        value_changed: Some(changed.to_string()),
        ..Default::default()
    })
}

/// Bans an address until `expires`, or for `days` from now.
fn add_banned_ip(w: &mut State, r: AddBannedIp) -> Result<AddBannedIpResponse, AddBannedIpError> {
    let expires = r.expires.unwrap_or_else(|| {
        let days = r.days.clamp(-3_000_000, 3_000_000);
        calendar::add_days(w.today(), days)
            .and_then(|d| {
                let (h, m, s) = w.now.time();
                DateTime::new(d, h, m, s)
            })
            .unwrap_or(w.now)
    });
    let banid = w.system.banned_ips.insert(BannedIp {
        ip: r.ip.clone(),
        reason: r.reason,
        expires,
    });
    w.log(
        0,
        format!("Banned IP Added - IP: {} - Ban ID: {banid}", r.ip),
    );
    Ok(AddBannedIpResponse {
        banid,
        ..Default::default()
    })
}

/// The installation's version.
fn whmcs_details(w: &State, _: WhmcsDetails) -> Result<WhmcsDetailsResponse, WhmcsDetailsError> {
    Ok(WhmcsDetailsResponse {
        whmcs: Some(version(w)),
        ..Default::default()
    })
}

/// The namespace the mock's daily automation logs under.
const DAILY: &str = "DailyCronJob";

/// The daily automation's record: one run for each day the clock has moved past the
/// installation day, within `startdate`..`enddate` (default today), grouped by day and
/// namespace (`DailyCronJob`), optionally only namespaces starting with `namespace`.
fn get_automation_log(
    w: &State,
    r: GetAutomationLog,
) -> Result<GetAutomationLogResponse, GetAutomationLogError> {
    let today = w.today();
    let start = r.startdate.unwrap_or(today);
    let end = r.enddate.unwrap_or(today);
    let wanted = r
        .namespace
        .as_deref()
        .is_none_or(|n| DAILY.to_lowercase().starts_with(&n.to_lowercase()));
    let mut statistics = Map::new();
    let first = calendar::days_from_epoch(start.max(next(w.system.installed.date())));
    let last = calendar::days_from_epoch(end.min(today));
    if wanted {
        for day in (first..=last)
            .take(3660)
            .filter_map(calendar::date_from_epoch)
        {
            statistics.insert(day.to_string(), json!({ DAILY: { "runs": 1 } }));
        }
    }
    Ok(GetAutomationLogResponse {
        current_datetime: Some(w.now),
        last_daily_cron_invocation_time: w.system.last_daily_run(w.now),
        startdate: Some(calendar::midnight(start)),
        enddate: Some(calendar::end_of_day(end)),
        statistics: Some(Value::Object(statistics)),
        ..Default::default()
    })
}

/// The day after `d`.
fn next(d: Date) -> Date {
    calendar::add_days(d, 1).unwrap_or(d)
}

/// Records a custom notification event.
fn trigger_notification_event(
    w: &mut State,
    r: TriggerNotificationEvent,
) -> Result<TriggerNotificationEventResponse, TriggerNotificationEventError> {
    let (Some(identifier), Some(title), Some(message)) =
        (r.notification_identifier, r.title, r.message)
    else {
        // The spec's `missing` checks answer these before the handler runs.
        return Err(TriggerNotificationEventError::IdentifierRequired);
    };
    let attributes = r
        .attributes
        .into_iter()
        .map(|a| {
            let mut m = Map::new();
            for (k, v) in [
                ("label", a.label),
                ("value", a.value),
                ("url", a.url),
                ("style", a.style),
                ("icon", a.icon),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), Value::String(v));
                }
            }
            m
        })
        .collect();
    let id = w.system.notifications.insert(Notification {
        identifier: identifier.clone(),
        title,
        message,
        url: r.url.unwrap_or_default(),
        status: r.status.unwrap_or_default(),
        status_style: r.status_style.map(|s| s.to_string()).unwrap_or_default(),
        attributes,
        date: w.now,
    });
    w.log(
        0,
        format!("Notification Event Triggered - Identifier: {identifier} - ID: {id}"),
    );
    Ok(TriggerNotificationEventResponse::default())
}
