//! The checks every action gets from its spec, before any handler runs: a parameter WHMCS
//! requires (its documented "missing" message), types and allowed values, one-of groups, and
//! ids that name no record (its documented "not found" message).

use serde_json::{Map, Value};
use whmcs_api::ActionInfo;

use super::State;

/// The record kind a parameter's id names when its spec does not say (`entity = "…"`).
fn default_entity(param: &str) -> Option<&'static str> {
    Some(match param {
        "clientid" | "client_id" | "userid" => "client",
        "contactid" => "contact",
        "user_id" | "owner_user_id" => "user",
        "serviceid" | "service_id" => "service",
        "addonid" => "addon",
        "domainid" => "domain",
        "orderid" => "order",
        "invoiceid" => "invoice",
        "quoteid" => "quote",
        "ticketid" => "ticket",
        "replyid" => "reply",
        "deptid" => "department",
        "projectid" => "project",
        "taskid" => "task",
        "timerid" => "timer",
        "adminid" => "admin",
        "announcementid" => "announcement",
        "noteid" => "note",
        "paymethodid" => "paymethod",
        "currencyid" => "currency",
        "pid" => "product",
        "gid" => "product_group",
        _ => return None,
    })
}

fn given<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    params
        .get(key)
        .filter(|v| !matches!(v, Value::Null) && *v != "")
}

/// `Err` with the message WHMCS would answer, if the request fails a check of its spec.
pub(crate) fn check(
    state: &State,
    info: &ActionInfo,
    params: &Map<String, Value>,
) -> Result<(), String> {
    for p in info.params() {
        let absent = if p.empty_allowed() {
            matches!(params.get(p.name()), None | Some(Value::Null))
        } else {
            given(params, p.name()).is_none()
        };
        if let Some(message) = p.missing()
            && absent
        {
            return Err(message.to_string());
        }
    }
    info.prepare(params.clone())
        .map_err(|e| format!("Invalid parameters: {e}"))?;
    for rule in info.require_any() {
        if !rule.params().iter().any(|p| given(params, p).is_some()) {
            return Err(rule.message().to_string());
        }
    }
    for p in info.params() {
        let Some(message) = p.not_found() else {
            continue;
        };
        let Some(entity) = p.entity().or_else(|| default_entity(p.name())) else {
            continue;
        };
        let Some(value) = given(params, p.name()) else {
            continue;
        };
        let id = match value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        match id {
            Some(id) if state.exists(entity, id) == Some(false) => {
                return Err(message.to_string());
            }
            None => return Err(message.to_string()),
            _ => {}
        }
    }
    Ok(())
}
