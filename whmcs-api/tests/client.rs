//! The typed client over HTTP on loopback: against the embedded mock, and against scripted
//! PHP-style answers for the ways real installations misbehave.

mod common;

use std::time::Duration;

use common::server::{PhpServer, json};
use whmcs_api::actions::{AddCancelRequestError, CancellationType, GetClientsDetailsError};
use whmcs_api::{AccessKind, Client, Error, PhpArray, RetryPolicy, TransportKind};
use whmcs_mock::Reply;
use whmcs_mock::{MockConfig, MockServer};

fn client(url: &str) -> Client {
    Client::builder()
        .url(url)
        .api_credentials("id", "s3cret-value")
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .expect("client")
}

#[tokio::test]
async fn order_then_cancel_twice_against_the_mock() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let added = client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email: "ada@example.com",
            address1: "1 Row",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
        })
        .await
        .expect("client");
    let order = client
        .add_order(added.clientid, "mailin")
        .pid([1, 1])
        .await
        .expect("order");
    let ids = order.serviceids.clone();
    assert_eq!(ids.len(), 2);
    let done = client
        .add_cancel_request(ids[0])
        .cancel_type(CancellationType::Immediate)
        .await
        .expect("cancel");
    assert_eq!(done.serviceid, Some(ids[0]));
    assert_eq!(done.userid, Some(added.clientid));
    let again = client.add_cancel_request(ids[0]).await;
    assert!(
        matches!(
            again,
            Err(Error::Api {
                error: AddCancelRequestError::ExistingCancellationRequestExists,
                ..
            })
        ),
        "{again:?}"
    );
    let missing = client.add_cancel_request(999_999).await;
    assert!(
        matches!(
            missing,
            Err(Error::Api {
                error: AddCancelRequestError::ServiceIdNotFound,
                ..
            })
        ),
        "{missing:?}"
    );
    let neither = client.get_clients_details().await;
    assert!(
        matches!(
            neither,
            Err(Error::Api {
                error: GetClientsDetailsError::ClientIdOrEmailRequired,
                ..
            })
        ),
        "{neither:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_an_access_error() {
    let mock = MockServer::start().await.expect("mock");
    let bad = mock
        .client_builder()
        .api_credentials(mock.identifier(), "wrong")
        .build()
        .expect("client");
    let r = bad.get_invoices().await;
    assert!(
        matches!(&r, Err(Error::Access(a)) if *a.kind() == AccessKind::AuthenticationFailed),
        "{r:?}"
    );
}

#[tokio::test]
async fn legacy_login_and_access_key() {
    let config = MockConfig {
        admin: Some(("admin".into(), "hunter2".into())),
        access_key: Some("k3y".into()),
        ..MockConfig::default()
    };
    let mock = MockServer::start_with(config).await.expect("mock");
    let ok = Client::builder()
        .url(mock.url())
        .login("admin", "hunter2")
        .access_key("k3y")
        .build()
        .expect("client");
    ok.get_invoices()
        .await
        .expect("login with md5 password and access key");
    let no_key = Client::builder()
        .url(mock.url())
        .login("admin", "hunter2")
        .build()
        .expect("client");
    assert!(no_key.get_invoices().await.is_err_and(|e| e.is_access()));
}

#[tokio::test]
async fn nested_arrays_serialized_fields_and_escape_hatch_arrive_as_php_sends_them() {
    let server = PhpServer::start(|_| json(r#"{"result":"success","orderid":"9"}"#)).await;
    let client = client(&server.url());
    let order = client
        .add_order(3, "mailin")
        .pid([5])
        .customfields([PhpArray::new().with(1, "Google")])
        .domainrenewals([("example.com", 2)])
        .param("notes", "rush order")
        .await
        .expect("order");
    assert_eq!(order.orderid, 9);
    let got = server.last();
    assert_eq!(
        got["customfields"],
        serde_json::json!(["YToxOntpOjE7czo2OiJHb29nbGUiO30="])
    );
    assert_eq!(
        got["domainrenewals"],
        serde_json::json!({"example.com": "2"})
    );
    assert_eq!(got["notes"], "rush order");
    assert_eq!(got["responsetype"], "json");
}

#[tokio::test]
async fn php_noise_around_the_json_is_tolerated() {
    let body = "\u{feff}<br />\n<b>Warning</b>:  Undefined index {x} in /var/www/includes/api.php on line 12<br />\n{\"result\":\"success\",\"totalresults\":\"1\",\"invoices\":{\"invoice\":{\"id\":\"7\",\"total\":\"1.50\",\"datepaid\":\"0000-00-00 00:00:00\"}}}";
    let server = PhpServer::start(move |_| json(body)).await;
    let r = client(&server.url())
        .get_invoices()
        .await
        .expect("decoded despite the notice");
    assert_eq!(r.totalresults, Some(1));
    assert_eq!(r.invoices.len(), 1);
    assert_eq!(
        r.invoices[0].total.map(|t| t.to_string()).as_deref(),
        Some("1.50")
    );
    assert_eq!(r.invoices[0].datepaid, None);
}

#[tokio::test]
async fn error_results_with_http_error_status_are_typed() {
    let server = PhpServer::start(|_| {
        Reply::raw(
            404,
            br#"{"result":"error","message":"Service ID Not Found"}"#.to_vec(),
        )
    })
    .await;
    let r = client(&server.url()).add_cancel_request(5).await;
    assert!(
        matches!(
            r,
            Err(Error::Api {
                error: AddCancelRequestError::ServiceIdNotFound,
                ..
            })
        ),
        "{r:?}"
    );
}

#[tokio::test]
async fn html_pages_and_empty_bodies_are_clean_errors() {
    let server = PhpServer::start(|_| {
        Reply::raw(
            500,
            b"<html><body>Internal Server Error</body></html>".to_vec(),
        )
    })
    .await;
    let e = client(&server.url())
        .get_invoices()
        .await
        .expect_err("html");
    let text = e.to_string();
    assert!(
        e.is_decode() && text.contains("GetInvoices") && text.contains("500"),
        "{text}"
    );
    let server = PhpServer::start(|_| json("")).await;
    let e = client(&server.url())
        .get_invoices()
        .await
        .expect_err("empty");
    assert!(e.to_string().contains("empty"), "{e}");
    let server =
        PhpServer::start(|_| json(r#"{"result":"success","invoices":{"invoice":[{"id":1"#)).await;
    let e = client(&server.url())
        .get_invoices()
        .await
        .expect_err("truncated");
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[tokio::test]
async fn reads_are_retried_and_writes_are_not() {
    let busy = || {
        Reply::raw(503, b"<h1>Service Unavailable</h1>".to_vec()).with_header("retry-after", "0")
    };
    let server = PhpServer::start(move |_| busy()).await;
    let e = client(&server.url()).get_invoices().await.expect_err("503");
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportKind::Status(503) && t.attempts() == 3),
        "{e}"
    );
    assert_eq!(server.count(), 3);

    let server = PhpServer::start(move |_| busy()).await;
    let e = client(&server.url())
        .add_cancel_request(1)
        .await
        .expect_err("503");
    assert_eq!(server.count(), 1);
    assert!(
        e.to_string()
            .contains("the request may have been applied; not retried"),
        "{e}"
    );
}

#[tokio::test]
async fn answers_over_the_size_limit_are_refused_while_reading() {
    let big = format!(
        "{{\"result\":\"success\",\"pad\":\"{}\"}}",
        "x".repeat(300_000)
    );
    let server = PhpServer::start(move |_| json(&big)).await;
    let c = Client::builder()
        .url(server.url())
        .api_credentials("i", "s")
        .max_response_bytes(100_000)
        .build()
        .expect("client");
    let e = c.get_invoices().await.expect_err("too large");
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportKind::TooLarge),
        "{e}"
    );
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let server = PhpServer::start(|_| Reply::raw(503, b"down".to_vec())).await;
    let c = client(&server.url());
    let e = c.add_cancel_request(1).await.expect_err("503");
    for text in [format!("{c:?}"), format!("{e}"), format!("{e:?}")] {
        assert!(!text.contains("s3cret-value"), "{text}");
    }
    let req = whmcs_api::actions::UpdateClientProduct::new(1).servicepassword("hunter2");
    assert!(!format!("{req:?}").contains("hunter2"));
}

#[tokio::test]
async fn calls_are_owned_futures_that_can_be_stored_and_spawned() {
    use std::future::IntoFuture;
    use whmcs_api::Pending;
    use whmcs_api::actions::GetClients;
    fn owned<F: std::future::Future + Send + Unpin + 'static>(f: F) -> F {
        f
    }
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    // Started before anything awaits them; each owns its request and a handle to the client,
    // so the client can go and the calls still run, on other tasks.
    let mut calls: Vec<Pending<GetClients>> = vec![
        owned(client.execute(GetClients::new().limitnum(1))),
        owned(client.get_clients().limitnum(2).into_future()),
    ];
    calls.push(owned(client.get_clients().into_future()));
    drop(client);
    assert!(mock.requests().is_empty(), "nothing is sent before a poll");
    let tasks: Vec<_> = calls.into_iter().map(tokio::spawn).collect();
    for task in tasks {
        task.await.expect("task").expect("GetClients");
    }
    assert_eq!(mock.requests().len(), 3);
}
