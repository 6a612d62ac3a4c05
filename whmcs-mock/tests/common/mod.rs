//! What several of the mock's test files share. Each test file is its own crate and uses only
//! some of these, so the rest is unused there.
#![allow(dead_code)]

use std::fmt::Debug;

use serde_json::Value;
use whmcs_api::{Client, Error};
use whmcs_mock::MockServer;

/// A mock with the default state, and a client of it.
pub async fn start() -> (MockServer, Client) {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    (mock, client)
}

/// The documented error a call that must fail answered.
pub fn api_error<T: Debug, E: Debug>(r: Result<T, Error<E>>) -> E {
    match r {
        Err(Error::Api { error, .. }) => error,
        other => panic!("expected a WHMCS error, got {other:?}"),
    }
}

/// Posts a form as any HTTP client would (what the typed client refuses to send included), and
/// returns the JSON answer.
pub async fn raw(mock: &MockServer, action: &str, pairs: &[(&str, &str)]) -> Value {
    let mut form = whmcs_api::Form::new();
    for (k, v) in [
        ("action", action),
        ("identifier", mock.identifier()),
        ("secret", mock.secret()),
        ("responsetype", "json"),
    ]
    .iter()
    .chain(pairs)
    {
        form.pair(k, v);
    }
    let body = whmcs_api::reqwest_builder()
        .build()
        .expect("http client")
        .post(format!("{}includes/api.php", mock.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.into_string())
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .expect("body");
    serde_json::from_slice(&body).expect("JSON")
}

/// The subjects of client `id`'s mail log, newest first.
pub async fn mail_subjects(client: &Client, id: i64) -> Vec<String> {
    client
        .get_emails(id)
        .await
        .expect("GetEmails")
        .emails
        .into_iter()
        .filter_map(|e| e.subject)
        .collect()
}
