//! What the mock offers tests besides WHMCS's behaviour: reset, seeding and snapshots, the
//! request journal, injected faults, latency, the clock, the source header, and all of it over
//! HTTP under `/_mock/`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use whmcs_api::actions::{AddClientRequired, AddOrder, GetInvoices};
use whmcs_api::{Error, TransportKind};
use whmcs_mock::{Fault, MockConfig, MockServer, Times};

async fn with_client(mock: &MockServer) -> i64 {
    let client = mock.client().expect("client");
    client
        .add_client(AddClientRequired {
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
        .expect("client")
        .clientid
}

#[tokio::test]
async fn snapshot_seed_and_reset() {
    let mock = MockServer::start().await.expect("mock");
    let id = with_client(&mock).await;
    let snapshot = mock.snapshot();
    assert_eq!(
        snapshot["clients"]["clients"]["rows"][id.to_string()]["email"],
        "ada@example.com"
    );

    mock.reset();
    assert!(mock.requests().is_empty(), "reset empties the journal");
    let client = mock.client().expect("client");
    let none = client.get_clients().await.expect("list");
    assert_eq!(none.clients.len(), 0, "reset empties the clients");

    mock.seed(snapshot.clone()).expect("seed");
    let back = client
        .get_clients_details()
        .clientid(id)
        .await
        .expect("details");
    assert_eq!(
        back.client.and_then(|c| c.email).as_deref(),
        Some("ada@example.com")
    );
    assert!(
        mock.seed(json!({"clients": 5})).is_err(),
        "a malformed state is refused"
    );

    // A server can start from a seed.
    let seeded = MockServer::start_with(MockConfig {
        seed: Some(snapshot),
        ..MockConfig::default()
    })
    .await
    .expect("seeded");
    let list = seeded
        .client()
        .expect("client")
        .get_clients()
        .await
        .expect("list");
    assert_eq!(list.clients.len(), 1);
}

#[tokio::test]
async fn the_journal_holds_parsed_requests() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    client
        .get_invoices()
        .userid(7)
        .limitnum(3)
        .await
        .expect("list");
    let seen = mock.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].action, "GetInvoices");
    assert_eq!(seen[0].params["userid"], "7");
    assert_eq!(seen[0].params["limitnum"], "3");
    assert!(
        seen[0].params.get("secret").is_none(),
        "credentials stay out of params"
    );
}

#[tokio::test]
async fn faults_strike_as_often_as_asked() {
    let mock = MockServer::start().await.expect("mock");
    let id = with_client(&mock).await;
    let client = mock.client().expect("client");
    let order = || client.add_order(id, "mailin").pid([1]);

    let fault = Fault::documented::<AddOrder>("ClientClosed").expect("documented");
    mock.fault("AddOrder", fault, Times::Next(2));
    for _ in 0..2 {
        let e = order().await.expect_err("fault");
        assert_eq!(
            e.message(),
            Some("Unable to add order when client status is Closed")
        );
    }
    order().await.expect("the fault is spent");

    mock.fault("AddOrder", Fault::Status(503), Times::Next(1));
    let e = order().await.expect_err("503");
    assert!(
        matches!(&e, Error::Transport(t) if t.kind() == TransportKind::Status(503)),
        "{e}"
    );

    mock.fault("AddOrder", Fault::Malformed, Times::Next(1));
    assert!(order().await.expect_err("malformed").is_decode());

    mock.fault("AddOrder", Fault::Drop, Times::Next(1));
    let e = order().await.expect_err("dropped");
    assert!(e.is_transport(), "{e}");

    mock.fault("GetInvoices", Fault::DelayMs(300), Times::Next(1));
    let t0 = Instant::now();
    client.get_invoices().await.expect("late but fine");
    assert!(t0.elapsed() >= Duration::from_millis(290));

    // A seeded random fault strikes the same calls on every run.
    let pattern = |seed| async move {
        let mock = MockServer::start().await.expect("mock");
        mock.fault(
            "GetInvoices",
            Fault::Status(500),
            Times::Random { p: 0.5, seed },
        );
        let client = mock
            .client_builder()
            .retry(whmcs_api::RetryPolicy::none())
            .build()
            .expect("client");
        let mut hits = Vec::new();
        for _ in 0..20 {
            hits.push(client.get_invoices().await.is_err());
        }
        hits
    };
    let a = pattern(7).await;
    assert_eq!(a, pattern(7).await);
    assert!(a.iter().any(|h| *h) && a.iter().any(|h| !*h), "{a:?}");
}

#[tokio::test]
async fn latency_and_the_clock() {
    let mock = MockServer::start_with(MockConfig {
        latency: Some(Duration::from_millis(150)),
        ..MockConfig::default()
    })
    .await
    .expect("mock");
    let client = mock.client().expect("client");
    let t0 = Instant::now();
    client.get_invoices().await.expect("list");
    assert!(t0.elapsed() >= Duration::from_millis(140));
    mock.set_latency(None);

    let today = mock.today();
    assert_eq!(today.to_string(), "2026-01-01");
    mock.advance_days(45);
    assert_eq!(mock.today().to_string(), "2026-02-15");
}

#[tokio::test]
async fn answers_say_where_they_came_from() {
    let mock = MockServer::start().await.expect("mock");
    let http = whmcs_api::reqwest_builder().build().expect("http client");
    let post = |action: &str| {
        http.post(format!("{}includes/api.php", mock.url()))
            .body(format!(
                "action={action}&identifier={}&secret={}&responsetype=json",
                mock.identifier(),
                mock.secret()
            ))
    };
    let r = post("GetInvoices").send().await.expect("send");
    assert_eq!(r.headers()["x-mock-source"], "state");
    let r = post("GetStaffOnline").send().await.expect("send");
    let source = r.headers()["x-mock-source"]
        .to_str()
        .expect("text")
        .to_string();
    let coverage = whmcs_mock::coverage();
    let staff = coverage
        .iter()
        .find(|(a, _)| *a == "GetStaffOnline")
        .map(|(_, c)| *c);
    assert_eq!(
        source,
        if staff == Some(whmcs_mock::Coverage::Example) {
            "example"
        } else {
            "state"
        }
    );
}

#[tokio::test]
async fn everything_works_over_http_too() {
    let mock = MockServer::start().await.expect("mock");
    let id = with_client(&mock).await;
    let http = whmcs_api::reqwest_builder().build().expect("http client");
    let call = |method: reqwest::Method, path: &str| {
        http.request(method, format!("{}_mock/{path}", mock.url()))
            .header("authorization", format!("Bearer {}", mock.secret()))
    };
    let refused = http
        .get(format!("{}_mock/snapshot", mock.url()))
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), 403, "control calls need the secret");

    let snapshot: Value = call(reqwest::Method::GET, "snapshot")
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).expect("json"))
        .expect("body");
    assert!(snapshot["clients"]["clients"]["rows"][id.to_string()].is_object());
    let journal: Value = call(reqwest::Method::GET, "requests")
        .send()
        .await
        .expect("send")
        .bytes()
        .await
        .map(|b| serde_json::from_slice(&b).expect("json"))
        .expect("body");
    assert_eq!(journal[0]["action"], "AddClient");

    call(reqwest::Method::POST, "advance?days=31")
        .send()
        .await
        .expect("send");
    assert_eq!(mock.today().to_string(), "2026-02-01");

    let armed = call(reqwest::Method::POST, "fault")
        .body(r#"{"action":"GetInvoices","fault":{"status":502},"times":{"next":1}}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(armed.status(), 200);
    let client = mock
        .client_builder()
        .retry(whmcs_api::RetryPolicy::none())
        .build()
        .expect("client");
    assert!(client.execute(GetInvoices::new()).await.is_err());
    client.execute(GetInvoices::new()).await.expect("spent");

    call(reqwest::Method::POST, "reset")
        .send()
        .await
        .expect("send");
    assert!(
        mock.client()
            .expect("c")
            .get_clients()
            .await
            .expect("l")
            .clients
            .is_empty()
    );
    let bad = call(reqwest::Method::POST, "seed")
        .body("[1]")
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), 400);
    call(reqwest::Method::POST, "seed")
        .body(snapshot.to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(
        mock.client()
            .expect("c")
            .get_clients()
            .await
            .expect("l")
            .clients
            .len(),
        1
    );
}
