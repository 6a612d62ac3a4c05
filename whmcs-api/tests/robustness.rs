//! Every action against answers as real installations send them, over HTTP on loopback: each
//! example answer is mutated the ways WHMCS and PHP are sloppy, and every variant must decode
//! with nothing lost; broken answers must fail cleanly, naming the action and the HTTP status.

mod common;

use std::sync::{Arc, Mutex};

use common::server::{PhpServer, json};
use serde_json::{Map, Value, json};
use whmcs_api::{ActionInfo, Client, Error, ErrorMessage, RetryPolicy, actions};
use whmcs_mock::Reply;

/// A loopback server answering whatever the test puts in `next`.
struct Scripted {
    server: PhpServer,
    next: Arc<Mutex<Reply>>,
    client: Client,
}

impl Scripted {
    async fn start() -> Self {
        let next = Arc::new(Mutex::new(json("{}")));
        let n = next.clone();
        let server = PhpServer::start(move |_| n.lock().expect("lock").clone()).await;
        let client = Client::builder()
            .url(server.url())
            .api_credentials("id", "secret")
            .retry(RetryPolicy::none())
            .max_response_bytes(1 << 20)
            .build()
            .expect("client");
        Self {
            server,
            next,
            client,
        }
    }

    async fn send(
        &self,
        info: &ActionInfo,
        status: u16,
        body: Vec<u8>,
    ) -> Result<Value, Error<ErrorMessage>> {
        *self.next.lock().expect("lock") = Reply::raw(status, body);
        let Ok(Value::Object(params)) =
            serde_json::from_str::<Value>(info.example_request().unwrap_or("{}"))
        else {
            panic!("{}: example request", info.name())
        };
        let prepared = info.prepare(params).expect("example request");
        self.client.send_prepared(&prepared).await
    }
}

fn example(info: &ActionInfo) -> Value {
    serde_json::from_str(info.example_response().unwrap_or("{}")).expect("example JSON")
}

/// Applies `f` to every value, depth first.
fn walk(v: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| walk(i, f)),
        Value::Object(map) => map.values_mut().for_each(|i| walk(i, f)),
        _ => {}
    }
    f(v);
}

fn numbers_as_strings(v: &mut Value) {
    walk(v, &mut |x| {
        if let Value::Number(n) = x {
            *x = Value::String(n.to_string());
        }
    });
}

fn strings_as_numbers(v: &mut Value) {
    walk(v, &mut |x| {
        if let Value::String(s) = x {
            // Canonical integers only: "007" or "" would not come back the same.
            let plain = (s == "0" || !s.starts_with('0'))
                && !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_digit());
            if plain && let Ok(n) = s.parse::<i64>() {
                *x = Value::from(n);
            }
        }
    });
}

fn bools_as(v: &mut Value, yes: &Value, no: &Value) {
    walk(v, &mut |x| {
        if let Value::Bool(b) = x {
            *x = if *b { yes.clone() } else { no.clone() };
        }
    });
}

fn empties_as(v: &mut Value, empty: &Value) {
    walk(v, &mut |x| {
        let is_empty = matches!(x, Value::Array(a) if a.is_empty())
            || matches!(x, Value::Object(o) if o.is_empty());
        if is_empty {
            *x = empty.clone();
        }
    });
}

fn without_empties(v: &mut Value) {
    walk(v, &mut |x| {
        if let Value::Object(map) = x {
            map.retain(|_, v| {
                !(matches!(v, Value::Array(a) if a.is_empty())
                    || matches!(v, Value::Object(o) if o.is_empty())
                    || *v == "")
            });
        }
    });
}

/// `{"invoice": [x]}` → `{"invoice": x}`: a list wrapper holding a single object.
fn single_objects(v: &mut Value) -> bool {
    let mut changed = false;
    walk(v, &mut |x| {
        if let Value::Object(map) = x
            && map.len() == 1
            && let Some(Value::Array(items)) = map.values_mut().next()
            && items.len() == 1
            && items[0].is_object()
        {
            let only = items.remove(0);
            if let Some(slot) = map.values_mut().next() {
                *slot = only;
                changed = true;
            }
        }
    });
    changed
}

/// Lists of objects sent as objects keyed "0", "1", …
fn lists_as_numbered_objects(v: &mut Value) -> bool {
    let mut changed = false;
    walk(v, &mut |x| {
        if let Value::Array(items) = x
            && !items.is_empty()
            && items.iter().all(Value::is_object)
        {
            let map: Map<String, Value> = items
                .drain(..)
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect();
            *x = Value::Object(map);
            changed = true;
        }
    });
    changed
}

fn with_unknown_fields(v: &mut Value) {
    walk(v, &mut |x| {
        if let Value::Object(map) = x {
            map.insert(
                "zz_added_by_a_newer_whmcs".into(),
                json!({"nested": [1, "two", null], "flag": true}),
            );
        }
    });
}

fn body(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("json")
}

/// Runs `check` for every action and reports all failures at once.
async fn every_action<F, Fut>(check: F)
where
    F: Fn(&'static ActionInfo) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let mut failures = Vec::new();
    for info in actions::ALL.iter().copied() {
        if let Err(e) = check(info).await {
            failures.push(format!("{}: {e}", info.name()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} actions fail:\n{}",
        failures.len(),
        actions::ALL.len(),
        failures.join("\n")
    );
}

fn expect_same(
    original: &Value,
    got: Result<Value, Error<ErrorMessage>>,
    what: &str,
) -> Result<(), String> {
    let got = got.map_err(|e| format!("{what}: {e}"))?;
    common::same_answer(original, &got, "").map_err(|e| format!("{what}: {e}"))
}

#[tokio::test]
async fn sloppy_but_valid_answers_decode_with_nothing_lost() {
    let s = Scripted::start().await;
    every_action(|info| {
        let s = &s;
        async move {
            let original = example(info);
            let mut variants: Vec<(&str, Value)> = Vec::new();
            let mut v = original.clone();
            numbers_as_strings(&mut v);
            variants.push(("numbers as strings", v));
            let mut v = original.clone();
            strings_as_numbers(&mut v);
            variants.push(("strings as numbers", v));
            for (name, yes, no) in [
                ("bools as \"1\"/\"0\"", json!("1"), json!("0")),
                ("bools as 1/0", json!(1), json!(0)),
                ("bools as \"on\"/\"off\"", json!("on"), json!("off")),
            ] {
                let mut v = original.clone();
                bools_as(&mut v, &yes, &no);
                variants.push((name, v));
            }
            for (name, v) in variants {
                expect_same(&original, s.send(info, 200, body(&v)).await, name)?;
            }
            // Empty values as "", [], {} or left out come back as they were sent.
            for (name, empty) in [
                ("empty as \"\"", json!("")),
                ("empty as []", json!([])),
                ("empty as {}", json!({})),
            ] {
                let mut v = original.clone();
                empties_as(&mut v, &empty);
                expect_same(&v, s.send(info, 200, body(&v)).await, name)?;
            }
            let mut v = original.clone();
            without_empties(&mut v);
            expect_same(&v, s.send(info, 200, body(&v)).await, "empties left out")?;
            // A wrapper holding one object, or a list as numbered keys: typed lists come back as
            // lists (as in the original), free-form values as sent.
            let mut v = original.clone();
            if single_objects(&mut v) {
                let got = s
                    .send(info, 200, body(&v))
                    .await
                    .map_err(|e| format!("single object: {e}"))?;
                if common::same_answer(&original, &got, "").is_err() {
                    common::same_answer(&v, &got, "").map_err(|e| format!("single object: {e}"))?;
                }
            }
            let mut v = original.clone();
            if lists_as_numbered_objects(&mut v) {
                let got = s
                    .send(info, 200, body(&v))
                    .await
                    .map_err(|e| format!("numbered keys: {e}"))?;
                if common::same_answer(&original, &got, "").is_err() {
                    common::same_answer(&v, &got, "").map_err(|e| format!("numbered keys: {e}"))?;
                }
            }
            let mut v = original.clone();
            with_unknown_fields(&mut v);
            expect_same(&v, s.send(info, 200, body(&v)).await, "unknown fields")?;
            Ok(())
        }
    })
    .await;
    // Five scalar variants, three empty forms, left-out empties and unknown fields for each action.
    assert!(
        s.server.count() >= actions::ALL.len() * 10,
        "only {} answers served",
        s.server.count()
    );
}

#[tokio::test]
async fn php_noise_bom_status_and_warnings_around_the_answer() {
    let s = Scripted::start().await;
    every_action(|info| {
        let s = &s;
        async move {
            let original = example(info);
            let json = body(&original);
            let prefixes: [&[u8]; 4] = [
                b"\xEF\xBB\xBF",
                b"PHP Warning:  Undefined array key \"x\" in /var/www/modules/addons/x.php on line 42\n",
                b"<br />\n<b>Deprecated</b>:  Function strftime() is deprecated in <b>/var/www/includes/functions.php</b> on line <b>1337</b><br />\n",
                b"\n<br />\n<b>Notice</b>:  Undefined index: {x} in <b>/var/www/x.php</b> on line <b>3</b><br />\n",
            ];
            for prefix in prefixes {
                let mut b = prefix.to_vec();
                b.extend_from_slice(&json);
                expect_same(&original, s.send(info, 200, b).await, &format!("prefix {:?}", String::from_utf8_lossy(&prefix[..prefix.len().min(20)])))?;
            }
            let mut warned = original.clone();
            if let Some(map) = warned.as_object_mut() {
                map.insert("warning".into(), json!("This parameter is deprecated and will be removed"));
            }
            expect_same(&warned, s.send(info, 200, body(&warned)).await, "warning")?;
            if let Some(map) = original.as_object()
                && !map.contains_key("status") {
                    let renamed: Map<String, Value> = map.iter().map(|(k, v)| (if k == "result" { "status".to_string() } else { k.clone() }, v.clone())).collect();
                    let renamed = Value::Object(renamed);
                    expect_same(&renamed, s.send(info, 200, body(&renamed)).await, "status instead of result")?;
                }
            Ok(())
        }
    })
    .await;
    assert!(
        s.server.count() >= actions::ALL.len() * 5,
        "only {} answers served",
        s.server.count()
    );
}

#[tokio::test]
async fn error_results_are_typed_whatever_the_http_status() {
    let s = Scripted::start().await;
    every_action(|info| {
        let s = &s;
        async move {
            let (message, variant) = info
                .errors()
                .first()
                .map_or(("Something went wrong", "Unknown"), |e| {
                    (e.message(), e.variant())
                });
            let message = message.replace(['{', '}'], "");
            for status in [200, 400, 403, 404, 500, 503] {
                for key in ["result", "status"] {
                    let b = body(&json!({key: "error", "message": message}));
                    match s.send(info, status, b).await {
                        Err(Error::Api { error: e, .. }) if e.variant == variant => {}
                        other => {
                            return Err(format!(
                                "`{message}` with HTTP {status} ({key}) gave {other:?}"
                            ));
                        }
                    }
                }
            }
            let access = body(&json!({"result": "error", "message": "Authentication Failed"}));
            match s.send(info, 403, access).await {
                Err(Error::Access(a))
                    if *a.kind() == whmcs_api::AccessKind::AuthenticationFailed =>
                {
                    Ok(())
                }
                other => Err(format!("403 Authentication Failed gave {other:?}")),
            }
        }
    })
    .await;
    assert!(
        s.server.count() >= actions::ALL.len() * 13,
        "only {} answers served",
        s.server.count()
    );
}

#[tokio::test]
async fn broken_answers_are_clean_errors_naming_the_action_and_status() {
    let s = Scripted::start().await;
    every_action(|info| {
        let s = &s;
        async move {
            let json = body(&example(info));
            let html = b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Oops</h1></body></html>".to_vec();
            let garbage: Vec<u8> = (0..300u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
            let cases: Vec<(&str, u16, Vec<u8>)> = vec![
                ("HTML page", 500, html.clone()),
                ("HTML page with 200", 200, html),
                ("empty body", 200, Vec::new()),
                ("truncated", 200, json[..json.len() / 2].to_vec()),
                ("garbage", 200, garbage),
                ("too large", 200, {
                    let mut big = b"{\"result\":\"success\",\"pad\":\"".to_vec();
                    big.extend(std::iter::repeat_n(b'x', (1 << 20) + 10));
                    big.extend_from_slice(b"\"}");
                    big
                }),
            ];
            for (what, status, b) in cases {
                match s.send(info, status, b).await {
                    Ok(v) if what == "truncated" && json.len() < 4 => drop(v),
                    Ok(v) => return Err(format!("{what}: accepted as {v}")),
                    Err(e) => {
                        let text = e.to_string();
                        if !text.contains(info.name()) || !text.contains(&status.to_string()) {
                            return Err(format!("{what}: the error does not name the action and HTTP status: {text}"));
                        }
                        if !(e.is_decode() || e.is_transport()) {
                            return Err(format!("{what}: wrong kind: {e:?}"));
                        }
                    }
                }
            }
            Ok(())
        }
    })
    .await;
    assert!(
        s.server.count() >= actions::ALL.len() * 6,
        "only {} answers served",
        s.server.count()
    );
}
