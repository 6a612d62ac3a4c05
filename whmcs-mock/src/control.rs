//! Driving the mock over HTTP, for tests written in other languages or scripts: the calls of
//! [`crate::MockServer`] under a reserved path, authorised with the API secret as a bearer
//! token (`Authorization: Bearer <secret>`).
//!
//! | call | does |
//! |---|---|
//! | `GET /_mock/snapshot` | the state as JSON |
//! | `POST /_mock/seed` (JSON body) | replaces the state |
//! | `POST /_mock/reset` | a fresh installation, no faults, empty journal |
//! | `GET /_mock/requests` | the journal: `[{"action", "params"}]` |
//! | `POST /_mock/advance?days=N` | moves the clock on, running the daily automation |
//! | `POST /_mock/fault` (JSON `{"action", "fault", "times"}`) | arms a fault (see [`crate::Fault`], [`crate::Times`]) |
//! | `POST /_mock/latency?ms=N` | every answer waits N ms (0: none) |

use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::behaviour::Reply;
use crate::faults::{Armed, Fault, Times};
use crate::shared::Shared;
use crate::store::Ticket;

/// The path under which the control calls live.
pub(crate) const PREFIX: &str = "/_mock/";

/// The largest control body (a seeded state).
const MAX_CONTROL_BODY: usize = 64 << 20;

#[derive(Deserialize)]
struct FaultCall {
    action: String,
    fault: Fault,
    #[serde(default = "always")]
    times: Times,
}

fn always() -> Times {
    Times::Always
}

fn query(req: &Request<Incoming>, key: &str) -> Option<u64> {
    req.uri().query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| v.parse().ok()).flatten()
    })
}

fn problem(status: u16, message: &str) -> Reply {
    Reply::json(&json!({"result": "error", "message": message})).with_status(status)
}

/// Success once `ticket` (a change to a state kept in a file) is saved; else HTTP 500.
async fn saved(ticket: Option<Ticket>) -> Reply {
    match ticket {
        Some(ticket) => match ticket.wait().await {
            Ok(()) => Reply::success(serde_json::Map::new()),
            Err(e) => problem(500, &format!("Could not save the mock state: {e}")),
        },
        None => Reply::success(serde_json::Map::new()),
    }
}

/// Answers one control call.
pub(crate) async fn serve(shared: &Shared, req: Request<Incoming>) -> Reply {
    let authorised = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| token == shared.config().secret);
    if !authorised {
        return problem(403, "Authentication Failed");
    }
    let path = req.uri().path().trim_start_matches(PREFIX).to_string();
    let method = req.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "snapshot") => Reply::json(&shared.snapshot()),
        (Method::GET, "requests") => {
            let journal: Vec<Value> = shared
                .journal()
                .into_iter()
                .map(|r| json!({"action": r.action, "params": r.params}))
                .collect();
            Reply::json(&Value::Array(journal))
        }
        (Method::POST, "reset") => saved(shared.reset()).await,
        (Method::POST, "advance") => {
            let days = query(&req, "days").unwrap_or(1);
            saved(shared.advance(u32::try_from(days).unwrap_or(u32::MAX).min(36_600))).await
        }
        (Method::POST, "latency") => {
            let ms = query(&req, "ms").unwrap_or(0);
            shared.set_latency((ms > 0).then(|| Duration::from_millis(ms)));
            Reply::success(serde_json::Map::new())
        }
        (Method::POST, "seed" | "fault") => {
            let body = match Limited::new(req.into_body(), MAX_CONTROL_BODY)
                .collect()
                .await
            {
                Ok(b) => b.to_bytes(),
                Err(_) => return problem(413, "Request Too Large"),
            };
            let value: Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => return problem(400, &format!("not JSON: {e}")),
            };
            if path == "seed" {
                match shared.seed(value) {
                    Ok(ticket) => saved(ticket).await,
                    Err(e) => problem(400, &e),
                }
            } else {
                match serde_json::from_value::<FaultCall>(value) {
                    Ok(call) => {
                        shared.arm(&call.action, Armed::new(call.fault, call.times));
                        Reply::success(serde_json::Map::new())
                    }
                    Err(e) => problem(400, &format!("not a fault: {e}")),
                }
            }
        }
        _ => problem(404, "Not Found"),
    }
}
